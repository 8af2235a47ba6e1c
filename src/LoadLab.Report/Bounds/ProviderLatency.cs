namespace PerfReference.LoadLab.Report;

/// <summary>
/// The payment provider stand-in's configured latency (src/PaymentsGateway/appsettings.json, <c>Provider</c>): what a
/// call costs the provider before any network, and so part of every bound that counts payment calls. A unit test keeps
/// these equal to the configuration. The result files do not record it: a run with the provider slowed at runtime (a
/// drill) is not a run the log quotes.
/// </summary>
public static class ProviderLatency
{
    /// <summary>A call that moves money: authorise, capture, refund, void (<c>Provider:LatencyMs</c>).</summary>
    public const double CallMs = 300;

    /// <summary>A look-up: GetPayment, ListPayments (<c>Provider:ReadLatencyMs</c>).</summary>
    public const double LookupMs = 200;
}
