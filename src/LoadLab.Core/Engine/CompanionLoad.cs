using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// Load sent beside a run's measured requests and recorded in neither variant (a hot customer's orders beside the reads of
/// its profile): open loop at its own mean rate, at random moments (<see cref="Pacing.Poisson"/>), from the moment it starts until it is stopped, through the same sender as the
/// measured load, its outcomes counted apart so that a run can say the companion load did run, and how it fared.
/// </summary>
public sealed class CompanionLoad
{
    private readonly CompanionRequests _requests;
    private readonly double _rate;
    private readonly VariantRecorder _recorder;
    private readonly CancellationTokenSource _stop;
    private readonly Task<LoopRun> _loop;

    private CompanionLoad(HttpClient http, CompanionRequests requests, double rate, int maxInFlight, CancellationToken ct)
    {
        (_requests, _rate, _recorder) = (requests, rate, new VariantRecorder(requests.Variant));
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sender = new RequestSender(http); // no metrics: the lab's metrics are the measured variants'
        var stopping = _stop.Token;
        // At random moments, not on the measured load's metronome: on one, the companion's requests would keep the same
        // phase to the measured ones and meet them (or miss them) the same way every time.
        _loop = LoadLoop.RunAsync(Pacing.Poisson(rate, long.MaxValue, maxInFlight, Random.Shared), new LoadCounters(),
            // Requests already due go out with the run's own token: stopping ends the sending, not the requests in flight.
            arrival => stopping.IsCancellationRequested
                ? Task.CompletedTask
                : sender.SendAsync(null, requests.CreateRequest, arrival.Sequence, requests.Variant, arrival.Timestamp, _recorder, null, ct),
            stopping,
            dropped: _ => sender.RecordDropped(null, requests.Variant, _recorder));
    }

    /// <summary>Starts sending <paramref name="rate"/> requests a second; more than <paramref name="maxInFlight"/> at once are dropped, as a measured load's are.</summary>
    public static CompanionLoad Start(HttpClient http, CompanionRequests requests, double rate, int maxInFlight, CancellationToken ct) =>
        new(http, requests, rate, maxInFlight, ct);

    /// <summary>Stops sending, waits for the requests in flight, and says what the companion load did.</summary>
    public async Task<CompanionResult> StopAsync()
    {
        await _stop.CancelAsync();
        var run = await _loop;
        _stop.Dispose();
        return new CompanionResult(_requests.Request, Math.Round(_rate, 3), VariantFigures.Of(_recorder, run.FinishedUtc - run.StartedUtc));
    }
}
