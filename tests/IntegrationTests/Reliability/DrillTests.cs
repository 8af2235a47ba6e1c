using PerfReference.LoadLab.Drills;

namespace PerfReference.IntegrationTests.Reliability;

/// <summary>
/// Every drill of the catalog, on a topology of its own, with a short load (6 checkouts/s for
/// 10 s; the provider's outage and slowness and a silo's cut shortened to 8 s, PostgreSQL's freeze to 5 s; the rolling
/// restart, which takes as long as two silos take to leave and start again, under 40 s of load): after the fault and the
/// settling, the books must balance — nothing lost or half-written, nothing charged twice or held without an order,
/// every customer's loyalty and order count right — and no answer may be a 5xx other than 503 with Retry-After. The
/// result counts each variant's availability consistently (every checkout accepted, refused or given up; an order
/// stored for each accepted one and for those stored unacknowledged). Then every resource is running and healthy
/// again: what was killed was started again by the AppHost's supervisor, with no operator. How available a variant
/// stayed is a timing, measured by the drills for the record on a quiet machine, not asserted here.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class DrillTests(DrillTopologyFixture topology)
{
    public static TheoryData<string> Drills => [.. DrillCatalog.All.Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(Drills))]
    public async Task TheBooksBalanceAndEverythingComesBack(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        var drill = DrillCatalog.Find(id)!;
        // The provider's faults, shortened: the behaviour is the same, the test is quicker.
        drill = drill.Id switch
        {
            "payments-outage" => drill with { Fault = _ => Faults.PaymentsOutage(TimeSpan.FromSeconds(8)) },
            "payments-slow" => drill with { Fault = _ => Faults.PaymentsSlow(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8)) },
            "silo-cut-off" => drill with { Fault = _ => Faults.CutSiloOff(TimeSpan.FromSeconds(8)) },
            "postgres-freeze" => drill with { Fault = _ => Faults.FreezeDatabase(TimeSpan.FromSeconds(5)) },
            _ => drill,
        };
        var load = drill.Id == "silo-rolling-restart" ? TimeSpan.FromSeconds(40) : TimeSpan.FromSeconds(10);

        var connections = await topology.ConnectionsAsync(ct);
        await using var context = connections.Open();
        var options = new DrillOptions(drill with { Baseline = TimeSpan.FromSeconds(3) }, Rate: 6, load, connections.Topology())
        {
            SettleTimeout = TimeSpan.FromMinutes(2),
        };

        var started = DateTime.UtcNow;
        var result = await new DrillRunner(context).RunAsync(options, new Progress<string>(step =>
            TestContext.Current.TestOutputHelper?.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds:0.0} s: {step}")), ct);

        var summary = $"{result.Fault}: {result.Accepted} of {result.Checkouts} accepted; answers {string.Join(", ", result.Answers.Select(a => $"{a.Key}×{a.Value}"))}; " +
                      $"findings: {string.Join("; ", result.Books.Findings)}";
        Assert.True(result.Accepted > 0, summary);
        Assert.True(result.Books.Balanced, summary);
        Assert.True(result.ServerErrorsOtherThan503 == 0, summary);
        var variants = result.Variants!;
        Assert.Equal(DrillCheckouts.Variants, variants.Select(v => v.Variant));
        Assert.Equal(result.Checkouts, variants.Sum(v => v.Checkouts));
        Assert.All(variants, v =>
        {
            Assert.Equal(v.Checkouts, v.Accepted + v.Refused + v.GaveUp);
            Assert.True(v.Books.Balanced, summary);
            Assert.Equal(v.Books.StoredOrders, v.Accepted + v.StoredButUnacknowledged);
        });
        Assert.Equal(result.StoredButUnacknowledged, variants.Sum(v => v.StoredButUnacknowledged));
        Assert.StartsWith("on, ", result.Admission); // the drills meet OrdersService's admission control, as a deployment's clients do
        // What was killed or shut down is back, started by the supervisor.
        await topology.Run.WaitUntilUpAsync(TimeSpan.FromMinutes(2), ct);
    }
}
