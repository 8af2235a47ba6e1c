using System.Net.Sockets;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using PerfReference.Hosting.Processes;

namespace PerfReference.Hosting.Redis;

public static class RedisBuilderExtensions
{
    private const string InstallHint = "Install it with: apt-get install redis-server (or set PERFREF_REDIS_BIN to the folder holding it).";

    /// <summary>Adds a <c>redis-server</c> process. Nothing survives a restart unless <see cref="WithPersistence"/> is called.</summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var binary = BinaryLocation.Redis().Find("redis-server");
        var redis = new RedisServerResource(name, binary ?? "redis-server", StateDirectory.For(builder, name));
        var healthCheckKey = $"{name}_check";

        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => PingAsync(redis, ct));

        if (binary is null)
        {
            builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, (@event, _) =>
            {
                var message = $"'redis-server' was not found on this machine. {InstallHint}";
                @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(redis).LogError("{Problem}", message);
                throw new MissingServerBinaryException(message);
            });
        }

        return builder.AddResource(redis)
            .WithEndpoint(name: RedisServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                // "-::1": bind IPv6 loopback too where the machine has it, without failing where it does not.
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("-::1");
                context.Args.Add("--protected-mode");
                context.Args.Add("no");
                context.Args.Add("--dir");
                context.Args.Add(redis.StateDirectory);
                // No RDB snapshots: either nothing is kept, or the append-only file keeps everything.
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                if (redis.TryGetLastAnnotation<RedisPersistenceAnnotation>(out var persistence))
                {
                    context.Args.Add("yes");
                    context.Args.Add("--appendfsync");
                    context.Args.Add(persistence.Fsync == RedisFsync.Always ? "always" : "everysec");
                }
                else
                {
                    context.Args.Add("no");
                }
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Keeps Redis's data through a restart of the server (and between runs): every write is appended
    /// to a file in the resource's state folder before it is acknowledged, and replayed at start.
    /// <paramref name="fsync"/> says when that file is forced to disk — a killed process loses nothing
    /// either way (the kernel has the writes); a machine that loses power loses up to a second of them
    /// with <see cref="RedisFsync.EverySecond"/>, nothing with <see cref="RedisFsync.Always"/>, at the
    /// price of a disk flush per write.
    /// </summary>
    public static IResourceBuilder<RedisServerResource> WithPersistence(this IResourceBuilder<RedisServerResource> redis, RedisFsync fsync = RedisFsync.EverySecond) =>
        redis.WithAnnotation(new RedisPersistenceAnnotation(fsync), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Health is a PING answered with PONG, spoken in RESP over a plain socket.</summary>
    private static async Task<HealthCheckResult> PingAsync(RedisServerResource redis, CancellationToken ct)
    {
        try
        {
            var port = int.Parse(await redis.PrimaryEndpoint.Property(EndpointProperty.Port).GetValueAsync(ct) ?? "0");
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));

            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"PING answered '{reply.Trim()}'");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }

    private sealed record RedisPersistenceAnnotation(RedisFsync Fsync) : IResourceAnnotation;
}
