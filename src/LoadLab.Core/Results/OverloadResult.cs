using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace PerfReference.LoadLab.Results;

/// <summary>
/// One overload run, as written to results/overload/&lt;scenario&gt;/&lt;UTC time&gt;-&lt;profile&gt;.json: the header,
/// the capacity it started from, and each step past it — how much was offered, accepted, shed (503 with Retry-After: the
/// service refused at once what it could not serve) and failed (anything else: a timeout, a 5xx), the goodput (accepted
/// requests a second) and the accepted requests' latencies.
/// </summary>
public sealed record OverloadResult : MeasurementHeader
{
    public OverloadResult()
    {
    }

    /// <summary>A result with the header every measurement shares; its own figures are set after.</summary>
    [SetsRequiredMembers]
    public OverloadResult(MeasurementHeader header) : base(header)
    {
    }

    /// <summary>The variant loaded (its label), and the X-Perf-Variant it sent.</summary>
    public string Variant { get; init; } = "";

    public string Header { get; init; } = "";

    /// <summary>The rate the steps' factors multiply: the variant's capacity, requests a second.</summary>
    public double CapacityRate { get; init; }

    /// <summary>Where the capacity came from: a capacity search's file, or the command line.</summary>
    public string CapacitySource { get; init; } = "";

    /// <summary>The service level the accepted requests' P99 is held to (the capacity search's).</summary>
    public double SloP99Ms { get; init; }

    /// <summary>OrdersService's admission control as it reported it before the load ("on, 40 in flight, Retry-After 1 s").</summary>
    public string? Admission { get; init; }

    public double StepSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    public IReadOnlyList<OverloadStep> Steps { get; init; } = [];

    /// <summary>The most accepted requests a second of any step.</summary>
    [JsonIgnore]
    public double PeakGoodput => Steps.Count == 0 ? 0 : Steps.Max(step => step.Goodput);

    /// <summary>The step the rule judges: <see cref="OverloadRule.Factor"/> times the capacity.</summary>
    [JsonIgnore]
    public OverloadStep? Judged => Steps.FirstOrDefault(step => step.Factor == OverloadRule.Factor);

    /// <summary>At twice the capacity, the goodput is at least 90 % of the peak.</summary>
    [JsonIgnore]
    public bool GoodputHeld => Judged is { } step && step.Goodput >= OverloadRule.GoodputOfPeak * PeakGoodput;

    /// <summary>At twice the capacity, the accepted requests' P99 is within the service level.</summary>
    [JsonIgnore]
    public bool LatencyHeld => Judged is { Accepted: > 0 } step && step.AcceptedP99Ms <= SloP99Ms;
}

/// <summary>One step of an overload run: the load offered, and what became of it.</summary>
/// <param name="Factor">The step's rate as a multiple of the capacity.</param>
/// <param name="Rate">Requests offered a second (open loop).</param>
/// <param name="Sent">Requests sent in the measured window.</param>
/// <param name="Shed">Answered 503 with Retry-After: refused at once, on purpose.</param>
/// <param name="Failed">Everything else that was not a success: a timeout, a 5xx, a broken connection.</param>
/// <param name="Goodput">Accepted requests a second over the measured window.</param>
public sealed record OverloadStep(
    double Factor,
    double Rate,
    double FromSeconds,
    double ToSeconds,
    long Sent,
    long Accepted,
    long Shed,
    long Failed,
    double Goodput,
    double AcceptedP50Ms,
    double AcceptedP99Ms,
    double AcceptedMaxMs,
    IReadOnlyDictionary<string, long> ErrorsByKind);

/// <summary>
/// What a service must do past its knee (issue 25): offered twice its capacity, it still serves at least 90 % of the most
/// it served at any load, and the requests it accepts keep their P99 within the service level — the rest it sheds at once
/// rather than queueing until everything times out.
/// </summary>
public static class OverloadRule
{
    public const double Factor = 2;

    public const double GoodputOfPeak = 0.9;
}
