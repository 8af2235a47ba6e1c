using System.Diagnostics;
using Npgsql;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Database;

/// <summary>
/// Has PostgreSQL send back the plan of the query it runs, as it ran it — with actual rows and buffers — without
/// running the query twice (EXPLAIN ANALYZE would): the auto_explain module, loaded for the transaction, logs every
/// plan at NOTICE level, which the server sends to the client, where Npgsql raises it as a notice. The plan then
/// goes on the request's span (<see cref="QueryPlan.Tag"/>), and its scan as the <c>X-Perf-Db-Plan</c> header.
/// </summary>
/// <remarks>
/// Row timing stays off (<c>log_timing</c>): counting rows and buffers costs little, timing every row does not.
/// LOAD needs a superuser (the AppHost's PostgreSQL user is one); a production server would list auto_explain in
/// <c>session_preload_libraries</c> instead.
/// </remarks>
public sealed class QueryPlanCapture : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _relation;

    private QueryPlanCapture(NpgsqlConnection connection, string relation)
    {
        _connection = connection;
        _relation = relation;
        _connection.Notice += OnNotice;
    }

    /// <summary>
    /// The plan of the last statement that read the relation, once its notice has arrived: when the statement's
    /// portal closes, which in a transaction is at the commit.
    /// </summary>
    public QueryPlan? Plan { get; private set; }

    /// <summary>Listens on the connection for the plan of a query that reads <paramref name="relation"/>.</summary>
    public static QueryPlanCapture Listen(NpgsqlConnection connection, string relation) => new(connection, relation);

    /// <summary>
    /// The commands that turn plan capture on for the rest of the transaction (and any planner settings with it,
    /// as SET LOCAL does): sent in the same batch as the query, they cost no round trip of their own.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(IReadOnlyDictionary<string, string>? plannerSettings = null)
    {
        yield return new NpgsqlBatchCommand("LOAD 'auto_explain'");
        var settings = new Dictionary<string, string>(plannerSettings ?? new Dictionary<string, string>())
        {
            ["auto_explain.log_min_duration"] = "0",
            ["auto_explain.log_analyze"] = "on",
            ["auto_explain.log_timing"] = "off",
            ["auto_explain.log_buffers"] = "on",
            ["auto_explain.log_format"] = "json",
            ["auto_explain.log_level"] = "notice",
        };
        // set_config(name, value, true) is SET LOCAL: gone at the end of the transaction, whatever pool the connection returns to.
        var command = new NpgsqlBatchCommand(
            "SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS setting(name, value)");
        command.Parameters.Add(new NpgsqlParameter { Value = settings.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.Values.ToArray() });
        yield return command;
    }

    /// <summary>Puts the captured plan on the span and the request's counters; nothing when no plan came.</summary>
    public void Report(Activity? activity)
    {
        if (Plan is not { } plan)
        {
            return;
        }

        plan.Tag(activity);
        PerfRequest.Current?.Counters.RecordDbPlan(plan.ScanNode);
    }

    public void Dispose() => _connection.Notice -= OnNotice;

    private void OnNotice(object sender, NpgsqlNoticeEventArgs e)
    {
        // auto_explain's message: "duration: 0.123 ms  plan:\n{ … }" (or without the duration when log_timing is off).
        var text = e.Notice.MessageText;
        var json = text.IndexOf('{');
        if (json < 0 || !text.Contains("plan:", StringComparison.Ordinal))
        {
            return;
        }

        if (QueryPlan.Parse(text[json..], _relation) is { } plan)
        {
            Plan = plan;
        }
    }
}
