using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>A run in progress: its recorders and in-flight count, read by the live display and the serve API.</summary>
public sealed class LiveRun(LoadPlan plan)
{
    private long _inFlight;
    private long _sent;
    private long _completed;
    private long _lastCompletion;

    public LoadPlan Plan { get; } = plan;

    public IReadOnlyList<VariantRecorder> Recorders { get; } = plan.Variants.Select(v => new VariantRecorder(v)).ToArray();

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Sent => Interlocked.Read(ref _sent);

    public long CompletedCount => Interlocked.Read(ref _completed);

    /// <summary>Stopwatch timestamp of the latest answer (for the measured window).</summary>
    public long LastCompletion => Interlocked.Read(ref _lastCompletion);

    public VariantRecorder RecorderOf(Variant variant) => Recorders.First(r => ReferenceEquals(r.Variant, variant));

    /// <summary>Counts a request in flight unless that would exceed the bound.</summary>
    public bool TryEnter(int maxInFlight)
    {
        if (Interlocked.Increment(ref _inFlight) > maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        Interlocked.Increment(ref _sent);
        return true;
    }

    public void Exit()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completed);
    }

    public void Completed(long timestamp)
    {
        long seen;
        while (timestamp > (seen = Interlocked.Read(ref _lastCompletion)) &&
               Interlocked.CompareExchange(ref _lastCompletion, timestamp, seen) != seen)
        {
        }
    }
}
