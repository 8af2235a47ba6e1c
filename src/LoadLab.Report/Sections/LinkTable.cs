using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The network links' measured round trips under a run, a search or a sweep that recorded them: what the profile set
/// against what a probe through each link took beside the load, and which links were more than 20 % over it.
/// </summary>
public static class LinkTable
{
    public static void Append(StringBuilder md, IReadOnlyList<LinkRoundTrip>? links, string profile)
    {
        if (links is null || (links.Count == 0 && NetworkProfile.Find(profile) == NetworkProfile.Loopback))
        {
            return; // a file from before the lab probed links, or a loopback run: no links to measure
        }

        if (links.Count == 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"Network links: none of this checkout was found on the machine to probe, though the run names the profile `{profile}`.\n\n");
            return;
        }

        md.Append("Network links during the load, each probed beside it at a low rate: one byte through the link's proxy and back across both " +
                  "of its delays, as real traffic crosses them; a link whose median is more than 20 % over its profile's round trip marks the result.\n\n");
        md.Append("| link | port | profile | set ms | probes | failed | median ms | p99 ms | median ÷ set |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var link in links)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {link.Link} | {link.Port} | `{link.Profile}` | {Figures.Ms(link.ProfileMs)} | {Figures.Count(link.Probes)} | {Figures.Count(link.Failures)} | " +
                $"{Ms(link.MedianMs)} | {Ms(link.P99Ms)} | {Over(link)} |\n");
        }

        md.Append('\n');
        foreach (var link in links.Where(link => link.Error is not null))
        {
            md.Append(CultureInfo.InvariantCulture, $"{link.Link} (port {link.Port}): {link.Error}\n\n");
        }
    }

    /// <summary>One link in a line, for the console and the lab's own log.</summary>
    public static string Line(LinkRoundTrip link) => string.Create(CultureInfo.InvariantCulture,
        $"link {link.Link} (port {link.Port}, {link.Profile} {Figures.Ms(link.ProfileMs)} ms): median {Ms(link.MedianMs)} ms, p99 {Ms(link.P99Ms)} ms over {link.Probes} probes" +
        $"{(link.Failures > 0 ? $", {link.Failures} failed" : "")}{(link.OverProfile ? " — more than 20 % over its profile" : "")}{(link.Error is { } error ? $"; {error}" : "")}");

    /// <summary>What a run that found no link says instead.</summary>
    public const string NoLinks = "No network link of this checkout on this machine (loopback): no link round trips probed.";

    private static string Ms(double? ms) => ms is { } value ? Figures.Ms(value) : "–";

    private static string Over(LinkRoundTrip link) =>
        link.MedianMs is { } median && link.ProfileMs > 0
            ? (median / link.ProfileMs).ToString("0.00", CultureInfo.InvariantCulture) + (link.OverProfile ? " **over**" : "")
            : "–";
}
