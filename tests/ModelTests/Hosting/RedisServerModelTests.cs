using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using PerfReference.Hosting.Redis;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.Hosting;

/// <summary><c>AddRedisServer</c>: a redis-server process on an allocated loopback port, as Aspire's own Redis resource is for a container.</summary>
public sealed class RedisServerModelTests : IDisposable
{
    private readonly BuilderWithScratchState _builders = new("redis-model");

    [Fact]
    public async Task ItListensOnItsAllocatedPortOnLoopbackOnlyAndKeepsNothingByDefault()
    {
        var redis = NewBuilder().AddRedisServer("cache").Resource;

        var endpoint = Assert.Single(redis.Annotations.OfType<EndpointAnnotation>());
        Assert.False(endpoint.IsProxied); // the server binds the port Aspire allocates; no proxy in between
        Assert.Null(endpoint.Port);
        var args = await ArgumentsAsync(redis);
        Assert.Equal(["--port", "{cache.bindings.tcp.targetPort}", "--bind", "127.0.0.1", "-::1"], args.Take(5));
        Assert.Equal(["--save", "", "--appendonly", "no"], args.TakeLast(4));
        Assert.Equal(Path.Combine(_builders.StateDirectory, "cache"), redis.WorkingDirectory);
    }

    [Theory]
    [InlineData(RedisFsync.EverySecond, "everysec")]
    [InlineData(RedisFsync.Always, "always")]
    public async Task WithPersistenceItAppendsEveryWriteToAFileFlushedAsAsked(RedisFsync fsync, string appendfsync)
    {
        var redis = NewBuilder().AddRedisServer("cache").WithPersistence(fsync).Resource;

        Assert.Equal(["--save", "", "--appendonly", "yes", "--appendfsync", appendfsync], (await ArgumentsAsync(redis)).TakeLast(6));
    }

    [Fact]
    public void ItsConnectionStringIsStackExchangeRedissHostAndPortAndItIsHealthCheckedByPing()
    {
        var redis = NewBuilder().AddRedisServer("cache").Resource;

        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port}", redis.ConnectionStringExpression.ValueExpression);
        Assert.Equal("cache_check", Assert.Single(redis.Annotations.OfType<HealthCheckAnnotation>()).Key);
    }

    private IDistributedApplicationBuilder NewBuilder() => _builders.NewBuilder();

    public void Dispose() => _builders.Dispose();
}
