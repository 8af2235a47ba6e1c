using System.Net;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Latency against offered load, as a hand-built SVG: each variant's P99 at every step of a capacity
/// search on log-log axes, the service level as a dashed line, a step that broke it marked with a
/// cross. The same result gives the same bytes (no timestamps, invariant numbers, "\n" line endings).
/// </summary>
public static class CapacityChart
{
    private const int Width = 640;
    private const int Height = 360;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 60;
    private static readonly string[] Colours = ["#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"];

    public static string Render(CapacityResult result)
    {
        var steps = result.Steps.Where(s => s.P99Ms > 0).ToArray();
        var minRate = Decade(Math.Min(result.StartRate, steps.Select(s => s.Rate).DefaultIfEmpty(result.StartRate).Min()), down: true);
        var maxRate = Decade(Math.Max(minRate * 10, steps.Select(s => s.Rate).DefaultIfEmpty(result.StartRate).Max()), down: false);
        var minMs = Decade(Math.Min(result.SloP99Ms, steps.Select(s => s.P99Ms).DefaultIfEmpty(result.SloP99Ms).Min()), down: true);
        var maxMs = Decade(Math.Max(result.SloP99Ms * 10, steps.Select(s => s.P99Ms).DefaultIfEmpty(result.SloP99Ms).Max()), down: false);
        double X(double rate) => Left + (Math.Log10(rate) - Math.Log10(minRate)) / (Math.Log10(maxRate) - Math.Log10(minRate)) * (Width - Left - Right);
        double Y(double ms) => Top + (Height - Top - Bottom) - (Math.Log10(ms) - Math.Log10(minMs)) / (Math.Log10(maxMs) - Math.Log10(minMs)) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        Line(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        Line(svg, $"  <rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        Line(svg, $"  <text x=\"{Left}\" y=\"20\" font-size=\"14\">{Escape(result.Scenario)} — {Escape(result.Profile)}, {Escape(result.Mode)}: P99 (ms) against offered load (requests/s per variant)</text>");

        for (var rate = minRate; rate <= maxRate * 1.0001; rate *= 10)
        {
            var x = Figures.Svg(X(rate));
            Line(svg, $"  <line x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{Height - Bottom}\" stroke=\"#dddddd\"/>");
            Line(svg, $"  <text x=\"{x}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Figures.Rate(rate)}</text>");
        }

        for (var ms = minMs; ms <= maxMs * 1.0001; ms *= 10)
        {
            var y = Figures.Svg(Y(ms));
            Line(svg, $"  <line x1=\"{Left}\" y1=\"{y}\" x2=\"{Width - Right}\" y2=\"{y}\" stroke=\"#dddddd\"/>");
            Line(svg, $"  <text x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Figures.Ms(ms)}</text>");
        }

        var slo = Figures.Svg(Y(result.SloP99Ms));
        Line(svg, $"  <line x1=\"{Left}\" y1=\"{slo}\" x2=\"{Width - Right}\" y2=\"{slo}\" stroke=\"#333333\" stroke-dasharray=\"6 4\"/>");
        Line(svg, $"  <text x=\"{Width - Right - 4}\" y=\"{Figures.Svg(Y(result.SloP99Ms) - 5)}\" text-anchor=\"end\">SLO: P99 {Figures.Ms(result.SloP99Ms)} ms</text>");

        for (var i = 0; i < result.Variants.Count; i++)
        {
            var variant = result.Variants[i];
            var colour = Colours[i % Colours.Length];
            var points = steps.Where(s => s.Variant == variant.Label).OrderBy(s => s.Rate).ToArray();
            if (points.Length > 1)
            {
                Line(svg, $"  <polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => $"{Figures.Svg(X(p.Rate))},{Figures.Svg(Y(p.P99Ms))}"))}\"/>");
            }

            foreach (var point in points)
            {
                var (x, y) = (X(point.Rate), Y(point.P99Ms));
                Line(svg, point.Held
                    ? $"  <circle cx=\"{Figures.Svg(x)}\" cy=\"{Figures.Svg(y)}\" r=\"3\" fill=\"{colour}\"/>"
                    : $"  <path d=\"M{Figures.Svg(x - 5)},{Figures.Svg(y - 5)} L{Figures.Svg(x + 5)},{Figures.Svg(y + 5)} M{Figures.Svg(x - 5)},{Figures.Svg(y + 5)} L{Figures.Svg(x + 5)},{Figures.Svg(y - 5)}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            }

            var legendX = Left + 160 * i;
            Line(svg, $"  <rect x=\"{legendX}\" y=\"{Height - 22}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
            Line(svg, $"  <text x=\"{legendX + 14}\" y=\"{Height - 12}\">{Escape(variant.Label)}: {Escape(CapacityFigures.Sustained(variant))} rps</text>");
        }

        Line(svg, $"  <line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333333\"/>");
        Line(svg, "</svg>");
        return svg.ToString();
    }

    /// <summary>The power of ten at or below (or at or above) a positive value.</summary>
    private static double Decade(double value, bool down)
    {
        var exponent = Math.Log10(Math.Max(value, 1e-3));
        return Math.Pow(10, down ? Math.Floor(exponent) : Math.Ceiling(exponent));
    }

    private static void Line(StringBuilder svg, string text) => svg.Append(text).Append('\n');

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
