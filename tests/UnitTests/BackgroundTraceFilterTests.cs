using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace PerfReference.UnitTests;

public sealed class BackgroundTraceFilterTests : IDisposable
{
    private readonly ActivitySource _npgsql = new("Npgsql");
    private readonly ActivitySource _app = new("PerfReference.OrdersService");
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };
    private readonly BackgroundTraceFilter _filter = new("Npgsql");

    public BackgroundTraceFilterTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void ACommandThatStartsATraceIsNotRecorded()
    {
        using var probe = _npgsql.StartActivity("SELECT 1")!;
        _filter.OnStart(probe);

        Assert.False(probe.Recorded);
    }

    [Fact]
    public void TheSameCommandInsideARequestIsRecorded()
    {
        using var request = _app.StartActivity("GET /api/orders/{id}")!;
        using var query = _npgsql.StartActivity("SELECT order")!;
        _filter.OnStart(request);
        _filter.OnStart(query);

        Assert.True(request.Recorded);
        Assert.True(query.Recorded);
    }

    [Fact]
    public void OtherSourcesStartingATraceAreRecorded()
    {
        using var request = _app.StartActivity("GET /api/products")!;
        _filter.OnStart(request);

        Assert.True(request.Recorded);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _npgsql.Dispose();
        _app.Dispose();
    }
}
