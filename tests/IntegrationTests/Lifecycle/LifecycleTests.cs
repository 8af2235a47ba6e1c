using PerfReference.Hosting.Processes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PerfReference.IntegrationTests.Infrastructure;

namespace PerfReference.IntegrationTests.Lifecycle;

/// <summary>
/// Starts and stops the AppHost itself, so these tests own their runs (they do not share the
/// topology fixture).
/// </summary>
public sealed class LifecycleTests
{
    /// <summary>How long after a start the silos have probed whatever the membership table lists (several probe rounds).</summary>
    private static readonly TimeSpan MembershipSettles = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Also the clean start (issue 24): the second start finds Redis as the first left it, membership table included.
    /// Under the first run's cluster id its silos would still be listed as active, and the new silos would log
    /// errors probing them ("Failed to get ping responses from 2 of 2 active silos"): the dashboard's error badges.
    /// </summary>
    [Fact]
    public async Task StoppingLeavesNoProcessAndTheNextStartReusesTheDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateDirectory = ScratchDirectory.Create("lifecycle");
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            IReadOnlySet<int> processes;
            await using (var first = await AppHostRun.StartAsync(stateDirectory, ct))
            {
                await first.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
                Assert.Contains("Initialising a new PostgreSQL cluster", await first.ConsoleLogAsync("postgres", ct));
                await ExecuteAsync(first, "CREATE TABLE lifecycle_marker (value text); INSERT INTO lifecycle_marker VALUES ($1)", marker, ct);

                processes = ProcessTree.WithDescendants(first.ProcessIds());
                // postgres (with its background workers), redis-server, migrations excluded (finished), 2 silos, payments, orders
                Assert.True(processes.Count >= 6, $"Expected the run's processes, found {processes.Count}: {first.DescribeStates()}");
            }

            Assert.Empty(await WaitForExitAsync(processes, TimeSpan.FromSeconds(15), ct));

            await using var second = await AppHostRun.StartAsync(stateDirectory, ct);
            await second.WaitUntilUpAsync(TimeSpan.FromMinutes(3), ct);
            Assert.Contains("Reusing the PostgreSQL cluster", await second.ConsoleLogAsync("postgres", ct));
            Assert.Equal(marker, await ScalarAsync(second, "SELECT value FROM lifecycle_marker", ct));

            await Task.Delay(MembershipSettles, ct);
            foreach (var service in new[] { "silo", "orders", "payments" })
            {
                var errors = (await second.ConsoleLogAsync(service, ct)).Split('\n')
                    .Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
                        || line.Contains("Failed to get ping responses", StringComparison.Ordinal))
                    .ToArray();
                Assert.True(errors.Length == 0, $"{service} logged errors on a clean second start:\n{string.Join('\n', errors)}");
            }
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AMissingServerBinaryFailsItsResourceWithWhatToInstallAndNothingWaitsForever()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateDirectory = ScratchDirectory.Create("missing-binaries");
        var empty = Directory.CreateTempSubdirectory("perfref-no-binaries-").FullName;
        Environment.SetEnvironmentVariable("PERFREF_POSTGRES_BIN", empty);
        Environment.SetEnvironmentVariable("PERFREF_REDIS_BIN", empty);
        try
        {
            await using var run = await AppHostRun.StartAsync(stateDirectory, ct);

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitUntilUpAsync(TimeSpan.FromMinutes(2), ct));
            Assert.Contains("A resource failed", failure.Message);

            await WaitForStateAsync(run, "postgres", KnownResourceStates.FailedToStart, ct);
            await WaitForStateAsync(run, "cache", KnownResourceStates.FailedToStart, ct);
            await WaitForStateAsync(run, "ordersdb", KnownResourceStates.FailedToStart, ct);
            Assert.Contains("apt-get install postgresql", await run.ConsoleLogAsync("postgres", ct));
            Assert.Contains("apt-get install redis-server", await run.ConsoleLogAsync("cache", ct));

            // Everything that waits on them gives up instead of waiting: none is left Waiting.
            foreach (var dependant in new[] { "migrations", "silo", "payments", "orders" })
            {
                await WaitForStateAsync(run, dependant, KnownResourceStates.FailedToStart, ct);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("PERFREF_POSTGRES_BIN", null);
            Environment.SetEnvironmentVariable("PERFREF_REDIS_BIN", null);
            Directory.Delete(stateDirectory, recursive: true);
            Directory.Delete(empty);
        }
    }

    private static async Task WaitForStateAsync(AppHostRun run, string resource, string state, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!run.Instances(resource).Any(i => i.State?.Text == state))
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"{resource} never reached {state}: {run.DescribeStates()}");
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<int>> WaitForExitAsync(IReadOnlySet<int> processes, TimeSpan grace, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + grace;
        IReadOnlyList<int> alive;
        while ((alive = ProcessTree.StillAlive(processes)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, ct);
        }

        return alive;
    }

    private static async Task ExecuteAsync(AppHostRun run, string sql, string value, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await run.ConnectionStringAsync("ordersdb", ct));
        await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            if (statement.Contains("$1"))
            {
                command.Parameters.Add(new() { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string?> ScalarAsync(AppHostRun run, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await run.ConnectionStringAsync("ordersdb", ct));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(ct);
    }
}
