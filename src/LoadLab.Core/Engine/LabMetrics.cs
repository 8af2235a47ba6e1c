using System.Diagnostics;
using System.Diagnostics.Metrics;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// The lab's own view of each request, exported to the dashboard (meter <see cref="MeterName"/>):
/// the latency from the intended send time, split by scenario and variant, so the dashboard can
/// show the variants side by side as the lab sees them.
/// </summary>
public sealed class LabMetrics : IDisposable
{
    public const string MeterName = "PerfReference.LoadLab";
    public const string ScenarioTag = "lab.scenario";
    public const string OutcomeTag = "outcome";

    /// <summary>The outcomes a request is counted under.</summary>
    public const string Success = "success", Error = "error", Dropped = "dropped";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _requests;

    public LabMetrics()
    {
        _duration = _meter.CreateHistogram<double>("lab.request.duration", "ms",
            "Latency of a lab request measured from its intended send time (open loop: no coordinated omission).");
        _requests = _meter.CreateCounter<long>("lab.requests", "{request}", "Lab requests by outcome: success, error or dropped.");
    }

    public void Record(string scenario, string variant, string outcome, TimeSpan? latency)
    {
        var tags = new TagList { { ScenarioTag, scenario }, { PerfTags.Variant, variant } };
        if (latency is { } elapsed)
        {
            _duration.Record(elapsed.TotalMilliseconds, tags);
        }

        tags.Add(OutcomeTag, outcome);
        _requests.Add(1, tags);
    }

    public void Dispose() => _meter.Dispose();
}
