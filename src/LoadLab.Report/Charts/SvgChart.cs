using System.Net;
using System.Text;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// A grouped bar chart of p50 and p99 per variant, as a hand-built SVG: the same result gives the
/// same bytes (no timestamps, invariant numbers, "\n" line endings).
/// </summary>
public static class SvgChart
{
    private const int GroupWidth = 120;
    private const int Left = 60;
    private const int Top = 40;
    private const int PlotHeight = 220;
    private const int Bottom = 60;
    private const string P50Colour = "#4e79a7";
    private const string P99Colour = "#e15759";

    public static string Render(RunResult result)
    {
        var width = Math.Max(480, Left + 20 + GroupWidth * result.Variants.Count);
        var height = Top + PlotHeight + Bottom;
        var scale = NiceCeiling(result.Variants.Max(v => v.P99Ms));
        double Y(double ms) => Top + PlotHeight - ms / scale * PlotHeight;

        var svg = new StringBuilder();
        Line(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        Line(svg, $"  <rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        Line(svg, $"  <text x=\"{Left}\" y=\"20\" font-size=\"14\">{Escape(result.Scenario)} — {Escape(Figures.Network(result))}, {Figures.Rate(result.Rate)} rps: latency (ms)</text>");
        Legend(svg, Left, Top + PlotHeight + 44);

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = scale * tick / 4;
            var y = Figures.Svg(Y(value));
            Line(svg, $"  <line x1=\"{Left}\" y1=\"{y}\" x2=\"{width - 20}\" y2=\"{y}\" stroke=\"#dddddd\"/>");
            Line(svg, $"  <text x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{(tick == 0 ? "0" : Figures.Ms(value))}</text>");
        }

        for (var i = 0; i < result.Variants.Count; i++)
        {
            var variant = result.Variants[i];
            var x = Left + 10 + GroupWidth * i;
            Bar(svg, x + 10, variant.P50Ms, Y, P50Colour);
            Bar(svg, x + 55, variant.P99Ms, Y, P99Colour);
            Line(svg, $"  <text x=\"{x + 50}\" y=\"{Top + PlotHeight + 18}\" text-anchor=\"middle\">{Escape(variant.Label)}</text>");
        }

        Line(svg, $"  <line x1=\"{Left}\" y1=\"{Top + PlotHeight}\" x2=\"{width - 20}\" y2=\"{Top + PlotHeight}\" stroke=\"#333333\"/>");
        Line(svg, "</svg>");
        return svg.ToString();
    }

    private static void Bar(StringBuilder svg, int x, double ms, Func<double, double> y, string colour)
    {
        var top = y(ms);
        Line(svg, $"  <rect x=\"{x}\" y=\"{Figures.Svg(top)}\" width=\"35\" height=\"{Figures.Svg(Top + PlotHeight - top)}\" fill=\"{colour}\"/>");
        Line(svg, $"  <text x=\"{x + 17}\" y=\"{Figures.Svg(top - 4)}\" text-anchor=\"middle\" font-size=\"10\">{Figures.Ms(ms)}</text>");
    }

    private static void Legend(StringBuilder svg, int x, int y)
    {
        Line(svg, $"  <rect x=\"{x}\" y=\"{y - 10}\" width=\"10\" height=\"10\" fill=\"{P50Colour}\"/>");
        Line(svg, $"  <text x=\"{x + 14}\" y=\"{y}\">p50</text>");
        Line(svg, $"  <rect x=\"{x + 60}\" y=\"{y - 10}\" width=\"10\" height=\"10\" fill=\"{P99Colour}\"/>");
        Line(svg, $"  <text x=\"{x + 74}\" y=\"{y}\">p99</text>");
    }

    /// <summary>The axis top: 1, 2 or 5 times a power of ten, at or above the largest bar.</summary>
    private static double NiceCeiling(double max)
    {
        if (max <= 0)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(candidate => candidate >= max);
    }

    private static void Line(StringBuilder svg, string text) => svg.Append(text).Append('\n');

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
