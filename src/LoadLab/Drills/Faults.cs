using System.Net;
using System.Net.Sockets;
using Npgsql;
using PerfReference.LoadLab.Processes;
using PerfReference.Payments.V1;

namespace PerfReference.LoadLab.Drills;

/// <summary>When a fault was injected and when it was over (for a process killed: the kill; the restart is the recovery).</summary>
public sealed record FaultWindow(DateTimeOffset Start, DateTimeOffset End, string What);

/// <summary>One fault a drill injects into the running topology.</summary>
public delegate Task<FaultWindow> Fault(DrillContext context, CancellationToken ct);

/// <summary>
/// The faults of the drills: processes killed, connections dropped, a server shut down or frozen, the payment provider down
/// or slow; the silos' own (a rolling restart, a silo cut off) in <c>SiloFaults.cs</c>.
/// </summary>
public static partial class Faults
{
    /// <summary>SIGKILL to the first (lowest id) of this checkout's processes <paramref name="targets"/> finds.</summary>
    public static Fault Kill(string what, Func<IReadOnlyList<int>> targets) => (_, _) =>
    {
        var pid = targets().FirstOrDefault();
        if (pid == 0)
        {
            throw new DrillException($"No process of {what} of this checkout was found: is the topology running on this machine?");
        }

        var now = DateTimeOffset.UtcNow;
        LocalProcesses.Signal(pid, LocalProcesses.SigKill);
        return Task.FromResult(new FaultWindow(now, now, $"SIGKILL to {what} (pid {pid})"));
    };

    /// <summary>A silo process (one of the two).</summary>
    public static Fault KillSilo => Kill("a silo", DrillTargets.Silos);

    public static Fault KillOrdersService => Kill("OrdersService", DrillTargets.OrdersService);

    /// <summary>SIGKILL to the Redis server the topology runs (the one on its port).</summary>
    public static Fault KillRedis(int port) => Kill("the Redis server", () => DrillTargets.RedisServer(port));

    /// <summary>
    /// Redis killed, and once the supervisor has it listening again and the silos have had a few
    /// seconds to reconnect, a silo killed too: the survivor can only tell that its peer is dead from
    /// the membership table, so this is the fault that shows whether the table came back with Redis
    /// (without it the surviving silo stops as well, and every customer request gets 503).
    /// </summary>
    public static Fault KillRedisThenSilo(int port) => async (context, ct) =>
    {
        var redis = await KillRedis(port)(context, ct);
        await WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), ct);
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var silo = await KillSilo(context, ct);
        return new FaultWindow(redis.Start, silo.End, $"{redis.What}; once it listened again, {silo.What}");
    };

    private static async Task WaitUntilListeningAsync(int port, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            catch (SocketException)
            {
                throw new DrillException($"Nothing listened on port {port} within {limit.TotalSeconds:0} s of the kill: is the AppHost's supervisor running?");
            }
        }
    }

    /// <summary>
    /// Every backend of the orders database terminated at once (<c>pg_terminate_backend</c>), twice,
    /// five seconds apart: every pooled connection breaks under the load.
    /// </summary>
    public static async Task<FaultWindow> TerminateDatabaseConnectionsAsync(DrillContext context, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        var terminated = 0L;
        for (var round = 0; round < 2; round++)
        {
            if (round > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }

            // A connection of its own, outside the pool it is about to break.
            var direct = context.OrdersDbServer;
            direct.Pooling = false;
            await using var connection = new NpgsqlConnection(direct.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            terminated += (long)(await command.ExecuteScalarAsync(ct))!;
        }

        return new FaultWindow(start, DateTimeOffset.UtcNow, $"pg_terminate_backend on every backend, twice ({terminated} connections)");
    }

    /// <summary>
    /// PostgreSQL's fast shutdown (SIGINT to the server: open transactions rolled back, connections
    /// closed, a clean checkpoint); the AppHost's supervisor starts it again.
    /// </summary>
    public static Task<FaultWindow> RestartDatabaseAsync(DrillContext context, CancellationToken ct)
    {
        var port = context.OrdersDbServer.Port;
        var server = DrillTargets.PostgresServer(port).FirstOrDefault();
        if (server == 0)
        {
            throw new DrillException($"No PostgreSQL server listening on port {port} was found on this machine.");
        }

        var now = DateTimeOffset.UtcNow;
        LocalProcesses.Signal(server, LocalProcesses.SigInt);
        return Task.FromResult(new FaultWindow(now, now, $"fast shutdown of PostgreSQL (SIGINT to pid {server}), started again by the supervisor"));
    }

    /// <summary>
    /// PostgreSQL frozen for <paramref name="length"/>: SIGSTOP to the server and then to every process it started (its
    /// backends, checkpointer, WAL writer), SIGCONT to all of them afterwards — a server that stops answering without
    /// closing a connection, as one does in a long stall (a VM paused, swap, a stuck disk), not one that goes away. The
    /// server is stopped first so that it starts no new backend meanwhile; whatever becomes of the drill, the processes
    /// are continued.
    /// </summary>
    public static Fault FreezeDatabase(TimeSpan length) => async (context, ct) =>
    {
        var port = context.OrdersDbServer.Port;
        var server = DrillTargets.PostgresServer(port).FirstOrDefault();
        if (server == 0)
        {
            throw new DrillException($"No PostgreSQL server listening on port {port} was found on this machine.");
        }

        var start = DateTimeOffset.UtcNow;
        LocalProcesses.Signal(server, LocalProcesses.SigStop);
        var frozen = new List<int> { server };
        try
        {
            foreach (var worker in LocalProcesses.ChildrenOf(server))
            {
                if (SignalIfRunning(worker, LocalProcesses.SigStop))
                {
                    frozen.Add(worker);
                }
            }

            await Task.Delay(length, ct);
        }
        finally
        {
            // The workers first, then the server: it finds them running when it runs again.
            foreach (var process in Enumerable.Reverse(frozen))
            {
                SignalIfRunning(process, LocalProcesses.SigCont);
            }
        }

        return new FaultWindow(start, DateTimeOffset.UtcNow,
            $"PostgreSQL frozen for {length.TotalSeconds:0} s: SIGSTOP to the server (pid {server}) and its {frozen.Count - 1} processes, then SIGCONT");
    };

    /// <summary>Sends a signal to a process that may have ended meanwhile; false when it had.</summary>
    private static bool SignalIfRunning(int pid, int signal)
    {
        try
        {
            LocalProcesses.Signal(pid, signal);
            return true;
        }
        catch (InvalidOperationException) when (!LocalProcesses.IsRunning(pid))
        {
            return false;
        }
    }

    /// <summary>The payment provider answers every call with UNAVAILABLE for <paramref name="length"/>.</summary>
    public static Fault PaymentsOutage(TimeSpan length) => async (context, ct) =>
    {
        var start = DateTimeOffset.UtcNow;
        var before = await context.PaymentsAdmin.GetBehaviourAsync(new GetBehaviourRequest(), context.AdminHeaders, cancellationToken: ct);
        await context.PaymentsAdmin.SetBehaviourAsync(new ProviderBehaviour
        {
            LatencyMs = before.LatencyMs,
            JitterMs = before.JitterMs,
            ErrorRate = before.ErrorRate,
            OutageSeconds = (int)length.TotalSeconds,
        }, context.AdminHeaders, cancellationToken: ct);
        await Task.Delay(length, ct);
        return new FaultWindow(start, DateTimeOffset.UtcNow, $"the payment provider down (UNAVAILABLE) for {length.TotalSeconds:0} s");
    };

    /// <summary>The payment provider answers after <paramref name="latency"/> for <paramref name="length"/>, then as before.</summary>
    public static Fault PaymentsSlow(TimeSpan latency, TimeSpan length) => async (context, ct) =>
    {
        var start = DateTimeOffset.UtcNow;
        var before = await context.PaymentsAdmin.GetBehaviourAsync(new GetBehaviourRequest(), context.AdminHeaders, cancellationToken: ct);
        await context.PaymentsAdmin.SetBehaviourAsync(new ProviderBehaviour { LatencyMs = (int)latency.TotalMilliseconds, JitterMs = before.JitterMs, ErrorRate = before.ErrorRate },
            context.AdminHeaders, cancellationToken: ct);
        try
        {
            await Task.Delay(length, ct);
        }
        finally
        {
            await context.PaymentsAdmin.SetBehaviourAsync(new ProviderBehaviour { LatencyMs = before.LatencyMs, JitterMs = before.JitterMs, ErrorRate = before.ErrorRate },
                context.AdminHeaders, cancellationToken: CancellationToken.None);
        }

        return new FaultWindow(start, DateTimeOffset.UtcNow, $"the payment provider slow ({latency.TotalMilliseconds:0} ms a call) for {length.TotalSeconds:0} s");
    };
}

public sealed class DrillException(string message) : Exception(message);
