using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Records every trace that starts in this process up to <c>tracesPerSecond</c> a second, and drops the rest: a token
/// bucket that holds at most a second's worth of traces and refills at that rate. Below the cap it is
/// <c>always_on</c>; above it, it keeps the cap's worth a second — so what the receiving end (the Aspire dashboard, on
/// the same cores in the lab) is sent stays bounded however fast the service is driven. Put it under a
/// <see cref="ParentBasedSampler"/>, so a span below a decided parent follows it and a trace stays whole or absent.
/// </summary>
public sealed class TraceRateCap : Sampler
{
    private readonly Lock _gate = new();
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TraceRateCap(double tracesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tracesPerSecond);
        _perSecond = tracesPerSecond;
        _time = time;
        _tokens = tracesPerSecond;
        _refilledAt = time.GetTimestamp();
        Description = $"TraceRateCap{{{tracesPerSecond}/s}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(TryTake() ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);

    private bool TryTake()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_perSecond, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
