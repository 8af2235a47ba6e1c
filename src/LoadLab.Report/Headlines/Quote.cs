namespace PerfReference.LoadLab.Report;

/// <summary>
/// One entry's proof in figures, as the headline quotes it: what proves it (<see cref="Metric"/>), the naive and the
/// optimized figure in absolute terms with their unit, how many times better (the spread over the runs, or one search's
/// ratio), under what conditions, from how many measurements and when — and the marks the figures carry.
/// </summary>
/// <param name="Metric">What is measured, in words: "P99", "capacity (phased search, P99 &lt; 500 ms)".</param>
/// <param name="Naive">The naive figure(s) with their unit: "2,699–3,334 ms" over the runs.</param>
/// <param name="Optimized">The optimized figure(s) with their unit.</param>
/// <param name="Ratio">How many times better, as the log writes it: "21.2× / 21.5× / 22.6×", "5.1×", "≥ 11.4×", or "–".</param>
/// <param name="Improvement">The median of that ratio (how the entries are ranked); null where there is none.</param>
/// <param name="Conditions">Where it was measured: profile, load, requests.</param>
/// <param name="Measurements">How many runs (searches, sweeps) the figures span.</param>
/// <param name="Noun">What a measurement is: "run", "search", "sweep", "soak".</param>
/// <param name="Notes">Marks of how well it was measured other than slow links (a machine shared with builds).</param>
public sealed record Quote(
    string Scenario,
    string Metric,
    string Naive,
    string Optimized,
    string Ratio,
    double? Improvement,
    string Conditions,
    int Measurements,
    string Noun,
    DateTimeOffset Newest,
    bool SlowLinks,
    IReadOnlyList<string> Notes)
{
    /// <summary>"3 runs", "one search".</summary>
    public string Count => Measurements == 1 ? $"one {Noun}" : $"{Measurements} {Noun}s";

    /// <summary>The median ratio as a figure: "21.5×" (or the one ratio as written).</summary>
    public string Median => Improvement is { } median ? Figures.Ratio(median, 1) : Ratio;
}

/// <summary>A mark beside a quoted figure and its one-line explanation under the table.</summary>
public sealed record Mark(string Symbol, string Legend)
{
    public static readonly Mark SlowLinks = new("†",
        "during the run the lab's probes measured some links more than 20 % slower than their profile: the latency proxies share the machine's two cores with the load, so part of these latencies is the lab's own, not the system's (the entry's page gives each link's figures).");

    public static readonly Mark AtLeast = new("≥", "the variant never broke before the climb ended: its capacity, and so the ratio, are at least this.");

    /// <summary>Symbols for the other notes, in the order they first appear.</summary>
    public static readonly IReadOnlyList<string> NoteSymbols = ["‡", "§", "¶", "#"];
}
