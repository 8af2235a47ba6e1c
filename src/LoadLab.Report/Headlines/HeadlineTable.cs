using System.Globalization;
using System.Text;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The headline: every measured entry by its own proving metric — the naive and the optimized figure in absolute terms,
/// how many times better with its spread, and the conditions — with a one-line legend for each mark the table uses.
/// The README and the log's index show the same table.
/// </summary>
public static class HeadlineTable
{
    /// <param name="pageOf">Where each entry's page is, relative to the document the table goes in.</param>
    public static string Markdown(IReadOnlyList<Quote> quotes, Func<string, string> pageOf)
    {
        if (quotes.Count == 0)
        {
            return "No entry is measured yet: `bash scripts/measure-all.sh seed` measures them (see the load lab's guide).\n";
        }

        var notes = quotes.SelectMany(q => q.Notes).Distinct(StringComparer.Ordinal).ToList();
        string Marks(Quote q) => (q.SlowLinks ? " " + Mark.SlowLinks.Symbol : "") + string.Concat(q.Notes.Select(n => " " + Mark.NoteSymbols[Math.Min(notes.IndexOf(n), Mark.NoteSymbols.Count - 1)]));

        var md = new StringBuilder();
        md.Append("| entry | proved by | naive → optimized | better by | measured under | measured |\n|---|---|---|---:|---|---|\n");
        foreach (var q in quotes)
        {
            md.Append($"| [`{q.Scenario}`]({pageOf(q.Scenario)}) | {q.Metric} | {q.Naive} → {q.Optimized} | {q.Ratio} | {q.Conditions}{Marks(q)} | {q.Count}, {Figures.Date(q.Newest)} |\n");
        }

        md.Append("\n- Better by: how many times the optimized figure beats the naive one on the entry's own metric (lower latency, higher rate, " +
                  "slower growth); over several runs lowest / median / highest, each from one run in which both variants met the same machine.\n");
        // A newcomer meets the profiles' names here first (tried: "what does every link `seed` mean?").
        var profiles = NetworkProfile.All.Where(p => quotes.Any(q => q.Conditions.Contains($"`{p.Name}`", StringComparison.Ordinal))).ToArray();
        if (profiles.Length > 0)
        {
            md.Append("- Measured under: the network profile the lab's latency proxies give the links between the services, and the " +
                      $"client's link where it says so — {string.Join("; ", profiles.Select(Describe))}.\n");
        }

        if (quotes.Any(q => q.SlowLinks))
        {
            md.Append($"- {Mark.SlowLinks.Symbol} {Mark.SlowLinks.Legend}\n");
        }

        if (quotes.Any(q => q.Naive.Contains(Mark.AtLeast.Symbol, StringComparison.Ordinal) || q.Optimized.Contains(Mark.AtLeast.Symbol, StringComparison.Ordinal)))
        {
            md.Append($"- {Mark.AtLeast.Symbol} {Mark.AtLeast.Legend}\n");
        }

        foreach (var note in notes)
        {
            md.Append($"- {Mark.NoteSymbols[Math.Min(notes.IndexOf(note), Mark.NoteSymbols.Count - 1)]} {note}.\n");
        }

        return md.ToString();
    }

    private static string Describe(NetworkProfile profile) => profile.RoundTrip == TimeSpan.Zero
        ? $"`{profile.Name}`: nothing added (the machine's loopback)"
        : $"`{profile.Name}`: {profile.RoundTrip.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms a round trip" +
          (profile.BytesPerSecond is { } bytes ? $" at {(bytes * 8 / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} Mbit/s" : "") +
          (profile == NetworkProfile.Seed ? " (the seed lesson's database round trip)" : "");
}
