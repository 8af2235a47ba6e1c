using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// Everything the log is made of besides the hand-written texts: the result files of every kind. A new kind of
/// measurement is one more property here and one more line in <see cref="Read"/>.
/// </summary>
public sealed class LogInputs(
    IReadOnlyList<RunResult> runs,
    IReadOnlyList<CapacityResult>? capacities = null,
    IReadOnlyList<SweepResult>? sweeps = null,
    IReadOnlyList<CeilingResult>? ceilings = null,
    IReadOnlyList<ProxyCostResult>? proxyCosts = null)
{
    private readonly Dictionary<string, RunHistory> _histories = new(StringComparer.Ordinal);

    public IReadOnlyList<RunResult> Runs { get; } = runs;

    public IReadOnlyList<CapacityResult> Capacities { get; } = capacities ?? [];

    public IReadOnlyList<SweepResult> Sweeps { get; } = sweeps ?? [];

    public IReadOnlyList<CeilingResult> Ceilings { get; } = ceilings ?? [];

    /// <summary>The latency proxy measured on its own (results/proxy/).</summary>
    public IReadOnlyList<ProxyCostResult> ProxyCosts { get; } = proxyCosts ?? [];

    /// <summary>The overload runs (results/overload/): load past the capacity, through admission control.</summary>
    public IReadOnlyList<OverloadResult> Overloads { get; init; } = [];

    /// <summary>The traces runs kept beside their results (results/&lt;scenario&gt;/*.traces.json).</summary>
    public IReadOnlyList<RunTraces> Traces { get; init; } = [];

    public static LogInputs Read(string resultsDirectory) => new(
        ResultFiles.Runs.In(resultsDirectory).ReadAll(),
        ResultFiles.Capacity.In(resultsDirectory).ReadAll(),
        ResultFiles.Sweeps.In(resultsDirectory).ReadAll(),
        ResultFiles.Ceilings.In(resultsDirectory).ReadAll(),
        ResultFiles.ProxyCosts.In(resultsDirectory).ReadAll()) {
        Overloads = ResultFiles.Overloads.In(resultsDirectory).ReadAll(),
        Traces = RunTraces.ReadAll(resultsDirectory),
    };

    /// <summary>The scenario's runs, searches and sweeps, sorted into current and earlier (computed once).</summary>
    public RunHistory HistoryOf(string scenario)
    {
        if (!_histories.TryGetValue(scenario, out var history))
        {
            _histories[scenario] = history = RunHistory.Of(scenario, this);
        }

        return history;
    }
}
