using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PerfReference.OrdersService.Extensions;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;
using PerfReference.Performance;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace PerfReference.UnitTests;

/// <summary>The payments pipeline as registered: what it retries, when it opens, what it reports, and that it is the only one.</summary>
public sealed class PaymentResilienceTests : IDisposable
{
    private readonly ServiceProvider _services;
    private int _calls;

    public PaymentResilienceTests()
    {
        _services = Services(new()
        {
            ["Payments:Resilience:AttemptTimeout"] = "00:00:00.200",
            ["Payments:Resilience:RetryDelay"] = "00:00:00.001",
            ["Payments:Resilience:BreakDuration"] = "00:01:00",
        });
    }

    /// <summary>The payments pipeline registered with these settings, its logs collected.</summary>
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddFakeLogging().AddMetrics()
            .AddPaymentResilience(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    private FakeLogCollector Logs => _services.GetFakeLogCollector();

    private ResiliencePipeline Pipeline => _services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PaymentResilience.PipelineKey);

    private PaymentCircuit Circuit => _services.GetRequiredService<PaymentCircuit>();

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task ATransientFailureIsTriedThreeTimes(StatusCode status)
    {
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(_ => throw new RpcException(new Status(status, "down"))));

        Assert.Equal(3, _calls);
    }

    [Fact]
    public async Task ARefusalIsNotRetried()
    {
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(_ => throw new RpcException(new Status(StatusCode.InvalidArgument, "no"))));

        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task AnAttemptThatOutlivesItsTimeoutIsAbandonedAndRetried()
    {
        var answer = await CallAsync(async token =>
        {
            if (_calls == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return "answered";
        });

        Assert.Equal("answered", answer);
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task AnAttemptThatTimedOutAndWasRetriedIsAWarningNotAnError()
    {
        await CallAsync(async token =>
        {
            if (_calls == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return "answered";
        });

        var timeout = Assert.Single(Logs.GetSnapshot(), log => log.Message.Contains("'OnTimeout'", StringComparison.Ordinal));
        Assert.Contains(PaymentResilience.AttemptTimeoutName, timeout.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, timeout.Level);
        Assert.DoesNotContain(Logs.GetSnapshot(), log => log.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AProviderThatNeverAnswersEndsInATotalTimeoutThatIsAnError()
    {
        using var services = Services(new()
        {
            ["Payments:Resilience:AttemptTimeout"] = "00:00:00.200",
            ["Payments:Resilience:TotalTimeout"] = "00:00:00.100",
        });
        var pipeline = services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PaymentResilience.PipelineKey);

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(async () =>
            await pipeline.ExecuteAsync(async token => await Task.Delay(Timeout.Infinite, token), TestContext.Current.CancellationToken));

        var timeout = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), log => log.Message.Contains("'OnTimeout'", StringComparison.Ordinal));
        Assert.Contains(PaymentResilience.TotalTimeoutName, timeout.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, timeout.Level);
    }

    [Fact]
    public async Task EnoughFailuresOpenTheCircuitWhichThenRefusesWithoutCalling()
    {
        var circuit = Circuit; // its gauge exists from here on
        var states = new List<int>();
        using var listener = GaugeListener("payments.circuit.state", states.Add);
        listener.RecordObservableInstruments();

        // Five failed calls in the sampling window, all of them failures: the breaker opens (during the second checkout's retries).
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => CallAsync(_ => throw new RpcException(new Status(StatusCode.Unavailable, "down"))));
        }

        var callsWhenOpened = _calls;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => CallAsync(_ => Task.FromResult("never called")));
        listener.RecordObservableInstruments();

        Assert.Equal(5, callsWhenOpened);
        Assert.Equal(callsWhenOpened, _calls);
        Assert.Equal(CircuitState.Open, circuit.State);
        Assert.Equal([0, 1], states);
        Assert.True(PaymentResilience.IsUnavailable(new BrokenCircuitException()));
    }

    [Fact]
    public void ThePaymentsClientHasNoStandardHandlerWhileOtherClientsKeepIt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()); // as the ServiceDefaults do
        builder.AddPayments();
        using var host = builder.Build();
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.False(HasResilienceHandler(handlers.CreateHandler(nameof(PaymentProvider.PaymentProviderClient))));
        Assert.True(HasResilienceHandler(handlers.CreateHandler("any-other-client")));
    }

    public void Dispose() => _services.Dispose();

    private async Task<string> CallAsync(Func<CancellationToken, Task<string>> call) =>
        await Pipeline.ExecuteAsync(async token =>
        {
            Interlocked.Increment(ref _calls);
            return await call(token);
        }, TestContext.Current.CancellationToken);

    private static MeterListener GaugeListener(string name, Action<int> record)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PerfMetrics.MeterName && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => record(value));
        listener.Start();
        return listener;
    }

#pragma warning disable EXTEXP0001 // ResilienceHandler is marked experimental.
    private static bool HasResilienceHandler(HttpMessageHandler? handler) => handler switch
    {
        ResilienceHandler => true,
        DelegatingHandler delegating => HasResilienceHandler(delegating.InnerHandler),
        _ => false,
    };
#pragma warning restore EXTEXP0001
}
