using System.Text.Json;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The physical bound of a variant: what it was counted doing (round trips, grain and payment calls, bytes) at the run's
/// probed link medians, the provider's configured latency, and the CPU where the variant ran alone; calls that overlapped
/// count once; and the most a capacity search's variant could sustain on the machine's cores.
/// </summary>
public sealed class BoundTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheNaiveCheckoutsBoundIsItsRoundTripsCallsAndTheProvidersLatencyAtTheProbedMedians()
    {
        var run = SeedCheckout();

        var naive = Bound.Of(run, run.Variants[0]);

        // The client's link 7 + PostgreSQL 203 × 6 + grains 2 × 8 (two gateways probed at 7 and 9: their mean) + payments 2 × (10 + 300).
        Assert.Equal(7 + 203 * 6 + 2 * 8 + 2 * (10 + 300), naive.Ms, 6);
        Assert.Equal(
            ["the client's link 1 × 7.00 ms", "PostgreSQL round trips 203 × 6.00 ms", "grain calls 2 × 8.00 ms",
             "payment calls (the link, and the provider's configured latency) 2 × 310 ms"],
            naive.Parts.Select(p => p.Describe()));
        Assert.False(naive.CpuCounted);
        Assert.Equal(naive.Ms / naive.P50Ms, naive.ShareOfP50, 6);
    }

    [Fact]
    public void CallsThatOverlappedCountOnceAndBesideTheDatabaseTheLongerOfTheTwo()
    {
        var run = SeedCheckout();

        // Fanned out: 50 grain calls whose waits add up to far more than the service's time cost one round trip.
        var fanOut = Bound.Of(run, Variant(run.Variants[1], grainCalls: 50, db: 0, serverMs: 20, dbMs: 0, grainMs: 400));
        Assert.Equal(7 + 8, fanOut.Ms, 6);
        Assert.Contains("they overlapped", fanOut.Parts.Single(p => p.What == Bound.Grains).Describe());

        // A grain call beside three database round trips: the database's 18 ms, not 18 + 8.
        var beside = Bound.Of(run, Variant(run.Variants[1], grainCalls: 1, db: 3, serverMs: 40, dbMs: 38, grainMs: 12));
        Assert.Equal(7 + 3 * 6, beside.Ms, 6);

        // The same calls one after the other: the sum.
        var inTurn = Bound.Of(run, Variant(run.Variants[1], grainCalls: 1, db: 3, serverMs: 60, dbMs: 38, grainMs: 12));
        Assert.Equal(7 + 3 * 6 + 8, inTurn.Ms, 6);
    }

    [Fact]
    public void WhereTheVariantsRanAloneTheServicesCpuIsCountedAndOnLoopbackNothingElse()
    {
        var run = InTurn(RunHistoryTests.Run("missing-index", 0, naiveMs: 100, profile: "loopback"), optimizedCpuMs: 0.75, optimizedDbCpuMs: 1.25);

        var optimized = Bound.Of(run, run.Variants[1]);

        // The service's CPU; PostgreSQL's is no floor (a parallel scan spends more CPU than time).
        Assert.True(optimized.CpuCounted);
        Assert.Equal(0.75, optimized.Ms, 6);
        Assert.Equal([Bound.ServiceCpu], optimized.Parts.Select(p => p.What));
    }

    [Fact]
    public void AMobileClientsBoundCountsTheResponsesBytesAtItsBandwidth()
    {
        var run = RunHistoryTests.Run("compression", 0, naiveMs: 700) with { ClientProfile = "mobile" };
        var naive = run.Variants[0] with { MeanBytes = 93_750 }; // half a second at 1.5 Mbit/s

        var bound = Bound.Of(run, naive);

        Assert.Equal(500, bound.Parts.Single(p => p.What == Bound.Bytes).Ms, 6);
        Assert.Equal(100, bound.Parts.Single(p => p.What == Bound.Client).EachMs, 6); // no probe: the profile's own round trip
    }

    [Fact]
    public void ACapacitysBoundIsTheRateTheMachinesCoresAllowAtTheCpuItTook()
    {
        var search = GoalsSectionTests.Capacity(100, sloMs: 500) is var c
            ? c with { Variants = [c.Variants[0], c.Variants[1] with { AtCapacity = [new ServiceCost("orders", 1, 0.3, null), new ServiceCost("silo", 2, 0.2, null)] }] }
            : throw new InvalidOperationException();

        Assert.Equal(100 * 2 / 0.5, Bound.Capacity(search, search.Variants[1])!.Value, 6);
        Assert.Null(Bound.Capacity(search, search.Variants[0]));
    }

    [Fact]
    public void TheProvidersLatencyInTheBoundIsWhatThePaymentsGatewayIsConfiguredWith()
    {
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder.");
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "src", "PaymentsGateway", "appsettings.json")));
        var provider = settings.RootElement.GetProperty("Provider");

        Assert.Equal(ProviderLatency.CallMs, provider.GetProperty("LatencyMs").GetDouble());
        Assert.Equal(ProviderLatency.LookupMs, provider.GetProperty("ReadLatencyMs").GetDouble());
    }

    /// <summary>A seed checkout run with its links probed: orders-link 7 ms, postgres-link 6, two gateways 7 and 9, payments-link 10.</summary>
    internal static RunResult SeedCheckout()
    {
        var run = ResultSamples.Make("seed-checkout", "seed", Monday, ("naive", "naive", 2000, 203), ("optimized", "optimized", 40, 3));
        return run with
        {
            Variants = [Variant(run.Variants[0], grainCalls: 2, db: 203, serverMs: 2000, dbMs: 1300, grainMs: 16, paymentMs: 620, paymentCalls: 2), run.Variants[1]],
            Links = [Link("orders-link", 7), Link("postgres-link", 6), Link("gateway-link", 7), Link("gateway-link", 9), Link("payments-link", 10)],
        };
    }

    /// <summary>The run as one whose variants ran one after the other, with the optimized variant's CPU (and the naive one's, ten times it).</summary>
    internal static RunResult InTurn(RunResult run, double optimizedCpuMs, double optimizedDbCpuMs) => run with
    {
        VariantsInTurn = true,
        Variants =
        [
            run.Variants[0] with { Runtime = new ServiceRuntime(100, 120, 50_000, optimizedCpuMs * 10, 0, optimizedDbCpuMs * 10, 1) },
            run.Variants[1] with { Runtime = new ServiceRuntime(100, 110, 10_000, optimizedCpuMs, 0, optimizedDbCpuMs, 0) },
        ],
    };

    private static VariantResult Variant(VariantResult v, double grainCalls, double db, double serverMs, double dbMs, double grainMs, double paymentMs = 0, double paymentCalls = 0) => v with
    {
        CounterMeans = VariantTotals.Means([(PerfCounter.DbRoundtrips, db), (PerfCounter.GrainCalls, grainCalls), (PerfCounter.PaymentCalls, paymentCalls)]),
        MeanServerMs = serverMs,
        MeanDbMs = dbMs,
        MeanGrainMs = grainMs,
        MeanPaymentMs = paymentMs,
    };

    private static LinkRoundTrip Link(string name, double medianMs) => new(name, 1000, "seed", 5, 100, 0, medianMs, medianMs * 3);
}
