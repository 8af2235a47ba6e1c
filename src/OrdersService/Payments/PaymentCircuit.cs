using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Payments;

/// <summary>
/// The payments circuit breaker as operators see it: its state as a gauge
/// (<c>payments.circuit.state</c>: 0 closed, 1 open, 2 half-open), its transitions and the calls it
/// refused as counters, on the meter the ServiceDefaults already export.
/// </summary>
public sealed class PaymentCircuit
{
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _rejected;

    public PaymentCircuit(IMeterFactory meters)
    {
        var meter = meters.Create(PerfMetrics.MeterName);
        meter.CreateObservableGauge("payments.circuit.state", () => StateCode, "{state}",
            "The payments circuit breaker: 0 closed, 1 open, 2 half-open");
        _transitions = meter.CreateCounter<long>("payments.circuit.transitions", "{transition}",
            "Changes of the payments circuit breaker's state, by the state entered");
        _rejected = meter.CreateCounter<long>("payments.circuit.rejected", "{call}",
            "Calls to the payment provider refused by the open circuit, without reaching the provider");
    }

    /// <summary>Handed to the breaker, which reports its state through it.</summary>
    public CircuitBreakerStateProvider StateProvider { get; } = new();

    public CircuitState State => StateProvider.CircuitState;

    /// <summary>The gauge's value. A manually isolated circuit (not used here) refuses calls like an open one.</summary>
    public int StateCode => State switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 2,
        _ => 1,
    };

    public ValueTask RecordTransition(CircuitState entered)
    {
        _transitions.Add(1, new KeyValuePair<string, object?>("payments.circuit.entered", Name(entered)));
        return ValueTask.CompletedTask;
    }

    public void RecordRejectedCall() => _rejected.Add(1);

    public static string Name(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };
}
