using System.Collections.Concurrent;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Traces;

/// <summary>
/// Which kept traces the running dashboard still holds. It holds only what this run of the AppHost sent it, and drops the
/// oldest traces once it holds its maximum, so a kept trace id is worth a link only after asking. One instance serves one
/// page: each id is asked about once.
/// </summary>
/// <param name="holds">Whether the dashboard holds the trace with this id (<see cref="Of(DashboardTraces)"/>: its telemetry API).</param>
public sealed class HeldTraces(Func<string, CancellationToken, Task<bool>> holds)
{
    /// <summary>How many of a scenario's newest kept pairs are asked about at most: older runs' traces are the first the dashboard drops.</summary>
    public const int PairsAskedAbout = 3;

    private readonly ConcurrentDictionary<string, Task<bool>> _answers = new(StringComparer.Ordinal);

    public static HeldTraces Of(DashboardTraces dashboard) => new(async (traceId, ct) => await dashboard.TraceAsync(traceId, ct) is not null);

    /// <summary>The scenario's newest kept pair whose every trace the dashboard holds; null when none of its newest pairs is whole there.</summary>
    public async Task<RunTraces?> NewestPairAsync(IEnumerable<RunTraces> kept, string scenario, CancellationToken ct)
    {
        foreach (var pair in TraceDiffSection.PairsNewestFirst(kept, scenario).Take(PairsAskedAbout))
        {
            var ids = pair.Variants.SelectMany(v => v.Traces).Select(t => t.TraceId).ToArray();
            if ((await OfAsync(ids, ct)).Count == ids.Distinct().Count())
            {
                return pair;
            }
        }

        return null;
    }

    /// <summary>Those of <paramref name="traceIds"/> the dashboard holds.</summary>
    public async Task<IReadOnlySet<string>> OfAsync(IEnumerable<string> traceIds, CancellationToken ct)
    {
        var asked = traceIds.Distinct().Select(async id => (id, held: await _answers.GetOrAdd(id, key => holds(key, ct)))).ToArray();
        return (await Task.WhenAll(asked)).Where(answer => answer.held).Select(answer => answer.id).ToHashSet(StringComparer.Ordinal);
    }
}
