using System.Globalization;
using System.Text;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Report;

/// <summary>The generated log: the index (docs/optimizations.md), a page per entry and per other measurement (docs/entries/, by file name), and the charts (docs/charts/).</summary>
public sealed record LogDocument(string Markdown, IReadOnlyDictionary<string, string> Pages, IReadOnlyDictionary<string, string> Charts);

/// <summary>
/// Builds the optimization log from the result files and the hand-written texts (docs/log/&lt;id&gt;.md, their figures
/// placeholders): an index — the findings, the headline, the catalog, capacity at a glance, the goals — and one page per
/// entry, whose sections are <see cref="EntrySections"/>. Every figure comes from a result file; the output depends on
/// nothing else (no clock, no culture, no file order), so the same inputs give the same bytes.
/// </summary>
public sealed class LogGenerator(string textsDirectory, Func<string, DrillResult?>? drills = null)
{
    /// <summary>Where the pages go, beside the index.</summary>
    public const string PagesFolder = "entries";

    /// <summary>The hand-written text of the ceiling's page (docs/log/ceiling.md), optional.</summary>
    public const string CeilingText = "ceiling";

    /// <summary>
    /// An entry's page, top to bottom. A section is one class (in Sections/) and one line here; each writes nothing where
    /// it has nothing to say.
    /// </summary>
    public static IReadOnlyList<IEntrySection> EntrySections { get; } =
    [
        new ProofSection(),
        new IntroductionSection(),
        new TextSection("What the naive code does", EntryText.Symptom, EntryText.RootCause),
        new DetectionSection(),
        new TextSection("The fix", EntryText.Fix),
        new MeasuredSection(),
        new UnderLoadSection(),
        new BoundSection(),
        new TracesSection(),
        new LimitsSection(),
        new TextSection("Regression guard", EntryText.RegressionGuard),
        new EarlierRunsSection(),
    ];

    /// <summary>Pages of the log that are no catalog entry (the ceiling and the cost of telemetry, the network links' own cost, the overload runs): a line each.</summary>
    public static IReadOnlyList<ILogPage> OtherPages { get; } =
    [
        new CeilingPage(),
        new SectionPage("network-links", ProxyCostSection.Title, (md, inputs) => ProxyCostSection.Append(md, inputs.ProxyCosts, heading: false)),
        new SectionPage("overload", OverloadSection.Title, (md, inputs) => OverloadSection.Append(md, inputs.Overloads, heading: false)),
    ];

    /// <summary>An entry's page, from the index (and from the README: prefix "docs/").</summary>
    public static string PageOf(string id) => $"{PagesFolder}/{id}.md";

    public LogDocument Generate(IReadOnlyList<RunResult> runs, IReadOnlyList<CapacityResult>? capacities = null, IReadOnlyList<SweepResult>? sweeps = null,
        IReadOnlyList<CeilingResult>? ceilings = null, IReadOnlyList<ProxyCostResult>? proxyCosts = null) =>
        Generate(new LogInputs(runs, capacities, sweeps, ceilings, proxyCosts));

    public LogDocument Generate(LogInputs inputs)
    {
        var placeholders = new Placeholders(inputs, drills);
        var charts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var goalsText = TextPath(GoalsSection.TextName) is { } goalsPath ? placeholders.Fill(EntryText.Load(goalsPath, requireLabels: false), null, goalsPath) : null;
        var (goalsIntroduction, inTheWay) = GoalsSection.Parse(goalsText);

        // The seed checkout opens the log; then each catalog entry with a text, numbered in the catalog's order.
        // The seed checkout has a page as soon as it is measured; an entry, once its text is written.
        var written = new[] { PerfCatalog.SeedCheckoutScenario }.Concat(PerfCatalog.All.Select(e => e.Id))
            .Where(id => TextPath(id) is not null || (id == PerfCatalog.SeedCheckoutScenario && !inputs.HistoryOf(id).IsEmpty)).ToArray();
        var numbered = written.Where(id => id != PerfCatalog.SeedCheckoutScenario).ToList();
        foreach (var id in written)
        {
            var text = TextPath(id) is { } path
                ? EntryText.Parse(placeholders.Fill(EntryText.Load(path, requireLabels: id != PerfCatalog.SeedCheckoutScenario), id, path))
                : EntryText.Empty;
            var entry = new EntryContext(id, numbered.IndexOf(id) + 1, numbered.Count, inputs, text, inTheWay, charts);
            pages[$"{id}.md"] = Page(entry);
        }

        foreach (var page in OtherPages)
        {
            var text = TextPath(page.TextName) is { } path ? placeholders.Fill(EntryText.Load(path, requireLabels: false), null, path) : null;
            pages[$"{page.Name}.md"] = Finish(new StringBuilder().Append(Header(page.Title)).Append(page.Render(inputs, text)));
        }

        var md = new StringBuilder();
        Index(md, inputs, written, goalsIntroduction, inTheWay);
        return new LogDocument(Finish(md), pages, charts);
    }

    private static string Page(EntryContext entry)
    {
        var md = new StringBuilder();
        md.Append(entry.Entry is null
            ? $"# {entry.Title}\n\n"
            : string.Create(CultureInfo.InvariantCulture, $"# {entry.Number}. {entry.Title} (`{entry.Id}`)\n\n"));
        md.Append(Generated).Append($"[The optimization log]({EntryContext.IndexLink})")
            .Append(entry.Entry is null ? " · the seed checkout" : string.Create(CultureInfo.InvariantCulture, $" · entry {entry.Number} of {entry.Count}"))
            .Append(" · text: `docs/log/").Append(entry.Id).Append(".md`\n\n");
        foreach (var section in EntrySections)
        {
            section.Append(md, entry);
        }

        return Finish(md);
    }

    private const string Generated = "<!-- Generated by `dotnet run --project src/LoadLab -- log` from results/ and docs/log/: edit those, not this file. -->\n\n";

    private static string Header(string title) => $"# {title}\n\n{Generated}[The optimization log]({EntryContext.IndexLink})\n\n";

    private void Index(StringBuilder md, LogInputs inputs, IReadOnlyList<string> written, string goalsIntroduction, IReadOnlyDictionary<string, string> inTheWay)
    {
        md.Append("# Optimization log\n\n").Append(Generated);
        md.Append("Every bottleneck of the catalog exists twice in this system — the naive code and the fix — and is measured side by side, " +
                  "naive and optimized interleaved in one run (or one after the other, where one takes the whole machine), open loop, latencies " +
                  "from each request's intended send time. Every figure here and on the entries' pages comes from a result file of the load lab " +
                  "(`results/`); each entry's text is `docs/log/<entry>.md`, whose figures are placeholders filled from the same files. Absolute " +
                  "figures are those of the machine each page names under its tables; the ratios are what carries over.\n\n");

        var quotes = ProvingMetrics.Quotes(inputs);
        md.Append("## The findings\n\n").Append(Findings.Markdown(inputs, quotes, PageOf));
        md.Append("## Every entry by its own proving metric\n\n").Append(HeadlineTable.Markdown(quotes, PageOf)).Append('\n');

        md.Append("## The catalog\n\n| # | entry | naive | optimized | proving metric |\n|---:|---|---|---|---|\n");
        var number = 0;
        foreach (var entry in PerfCatalog.All)
        {
            var page = written.Contains(entry.Id) ? $"[`{entry.Id}`]({PageOf(entry.Id)})" : $"`{entry.Id}`";
            md.Append(CultureInfo.InvariantCulture,
                $"| {(written.Contains(entry.Id) ? (++number).ToString(CultureInfo.InvariantCulture) : "–")} | {page}{(entry.IsBuilt ? "" : " (not built yet)")} | {entry.Naive} | {entry.Optimized} | {ProvingMetrics.For(entry.Id).Name} |\n");
        }

        md.Append("\nThe seed lesson's assignment, every fix at once: [the seed checkout](").Append(PageOf(PerfCatalog.SeedCheckoutScenario)).Append("). ");
        md.AppendJoin(" ", OtherPages.Select(p => $"[{p.Title}]({PageOf(p.Name)})."));
        md.Append(" Faults and the books: [the reliability drills](").Append(LogWriter.ReliabilityFile).Append(").\n\n");

        CapacitySections.AtAGlance(md, inputs, ProvingMetrics.Scenarios, PageOf);
        BoundsAtAGlance.Append(md, inputs, ProvingMetrics.Scenarios, PageOf);

        md.Append(CultureInfo.InvariantCulture, $"## {GoalsSection.Title}\n\n");
        if (goalsIntroduction.Length > 0)
        {
            md.Append(goalsIntroduction).Append("\n\n");
        }

        GoalsSection.Append(md, inputs, inTheWay);
        md.Append(GoalsSection.Explanation).Append("\n\n");

        var unmeasured = PerfCatalog.All
            .Where(entry => !written.Contains(entry.Id) || inputs.HistoryOf(entry.Id).IsEmpty)
            .Select(entry => $"- `{entry.Id}` — {entry.Title}: {(written.Contains(entry.Id) ? "written up" : $"no write-up yet (docs/log/{entry.Id}.md)")}, " +
                             $"{(inputs.HistoryOf(entry.Id).IsEmpty ? "no result file yet" : "measured")}.")
            .ToArray();
        if (unmeasured.Length > 0)
        {
            md.Append("## Not yet measured\n\n").AppendJoin("\n", unmeasured).Append('\n');
        }
    }

    private static string Finish(StringBuilder md) => md.ToString().TrimEnd('\n') + "\n";

    private string? TextPath(string id) => Path.Combine(textsDirectory, id + ".md") is var path && File.Exists(path) ? path : null;
}

/// <summary>A page of the log that is no catalog entry. A new one is one class and one line in <see cref="LogGenerator.OtherPages"/>.</summary>
public interface ILogPage
{
    /// <summary>Its file name in docs/entries/, without ".md".</summary>
    string Name { get; }

    string Title { get; }

    /// <summary>Its hand-written text in docs/log/, without ".md" (placeholders filled); none when the file does not exist.</summary>
    string TextName { get; }

    string Render(LogInputs inputs, string? text);
}
