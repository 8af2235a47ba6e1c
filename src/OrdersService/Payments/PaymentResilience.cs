using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentResilienceOptions
{
    public const string SectionName = "Payments:Resilience";

    /// <summary>One call to the provider; its latency is 300 ms by default, so 2 s means it is not coming.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every attempt and every pause between them: the most a checkout waits for the provider.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 10)]

    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>The first pause before a retry; it doubles each time, with jitter so that callers do not retry in step.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The circuit opens when this share of the calls in <see cref="SamplingDuration"/> failed...</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>...and at least this many calls were made in it.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit refuses calls before it lets one through to test the provider.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The one resilience pipeline of the payments client, explicit rather than inherited: the
/// ServiceDefaults' standard HTTP handler is removed from the gRPC client (see
/// <see cref="AddPaymentResilience"/>), because at the HTTP level a gRPC failure is a 200 with a
/// grpc-status trailer, which that handler neither sees nor should retry blindly. Here the
/// strategies judge gRPC status codes. Outermost first: a total timeout, retries of transient
/// failures (safe: every call carries an idempotency key, so a retried authorisation or capture
/// never charges twice), the circuit breaker, and the timeout of one attempt.
/// </summary>
public static class PaymentResilience
{
    public const string PipelineKey = "payments";

    /// <summary>The two timeouts by name, so that their events can be told apart in logs and metrics.</summary>
    public const string TotalTimeoutName = "TotalTimeout", AttemptTimeoutName = "AttemptTimeout";

    public static IServiceCollection AddPaymentResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentResilienceOptions>().Bind(configuration.GetSection(PaymentResilienceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PaymentCircuit>();
        services.AddResiliencePipeline(PipelineKey, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<PaymentResilienceOptions>>().Value;
            var circuit = context.ServiceProvider.GetRequiredService<PaymentCircuit>();
            var transient = new PredicateBuilder().Handle<Exception>(IsTransient);

            pipeline
                .ConfigureTelemetry(new TelemetryOptions(context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value)
                {
                    SeverityProvider = Severity,
                })
                .AddTimeout(new TimeoutStrategyOptions { Name = TotalTimeoutName, Timeout = options.TotalTimeout })
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = transient,
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    ShouldHandle = transient,
                    FailureRatio = options.FailureRatio,
                    MinimumThroughput = options.MinimumThroughput,
                    SamplingDuration = options.SamplingDuration,
                    BreakDuration = options.BreakDuration,
                    StateProvider = circuit.StateProvider,
                    OnOpened = _ => circuit.RecordTransition(CircuitState.Open),
                    OnHalfOpened = _ => circuit.RecordTransition(CircuitState.HalfOpen),
                    OnClosed = _ => circuit.RecordTransition(CircuitState.Closed),
                })
                .AddTimeout(new TimeoutStrategyOptions { Name = AttemptTimeoutName, Timeout = options.AttemptTimeout });
        });

        // Built once, by the container: the registry's GetPipeline may run the builder twice when the
        // first requests race, and the breaker's state provider can belong to one pipeline only.
        services.AddKeyedSingleton(PipelineKey, (provider, _) => provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PipelineKey));
        return services;
    }

    /// <summary>
    /// Polly's severities, but for the timeout of one attempt: Polly calls every timeout an error, while an attempt that
    /// timed out is retried, and the call may well succeed (the first call of a process that is still warming up, say).
    /// It is a warning, like the retry it causes; a call that fails for good is an error where the total timeout or the
    /// open circuit reports it, and where the caller decides what the failure means.
    /// </summary>
    public static ResilienceEventSeverity Severity(SeverityProviderArguments args) =>
        args.Source.StrategyName == AttemptTimeoutName ? ResilienceEventSeverity.Warning : args.Event.Severity;

    /// <summary>A failure that says the provider could not be reached or answer in time, so trying again may work.</summary>
    public static bool IsTransient(Exception error) =>
        error is TimeoutRejectedException || (error is RpcException rpc && IsTransient(rpc.StatusCode));

    public static bool IsTransient(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted;

    /// <summary>The provider cannot take the call now: transient failures that outlived the retries, or a circuit that is open.</summary>
    public static bool IsUnavailable(Exception error) => IsTransient(error) || error is BrokenCircuitException;

    /// <summary>
    /// The provider answered, and the answer is no: the only failures that end a payment. Anything else — a transient
    /// failure, but also Internal, Unknown, or a stream the server or a proxy cancelled (gRPC's codes for a transport
    /// that broke mid-call) — leaves the outcome unknown: the call may have gone through, and only a call with the same
    /// idempotency key can tell.
    /// </summary>
    public static bool IsRefusal(StatusCode status) => status is StatusCode.InvalidArgument or StatusCode.FailedPrecondition
        or StatusCode.NotFound or StatusCode.OutOfRange or StatusCode.PermissionDenied or StatusCode.Unauthenticated;
}
