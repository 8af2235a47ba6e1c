using System.Collections.Concurrent;
using System.Diagnostics;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Infrastructure;

/// <summary>
/// The SQL a piece of code sends, statement text by statement text (batches as their full text), read from Npgsql's
/// activities: what a pair's invariant is about when round trips are not — one statement per row against one for
/// all rows. Only the commands of the measured request are kept, however many tests run at once.
/// </summary>
public static class SqlTrace
{
    private static readonly ConcurrentDictionary<PerfRequest, ConcurrentQueue<string>> Recordings = new();

    private static readonly Lazy<ActivityListener> Listener = new(() =>
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            // All data: Npgsql only sets the query text on an activity someone records.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (PerfRequest.Current is { } request && Recordings.TryGetValue(request, out var statements) &&
                    activity.GetTagItem("db.query.text") is string text)
                {
                    statements.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    });

    /// <summary>Runs the work as one request and returns what it answered, its counters and the SQL texts it sent, in order.</summary>
    public static async Task<(T Result, PerfCounters Counters, IReadOnlyList<string> Sql)> RunAsync<T>(Func<Task<T>> work)
    {
        _ = Listener.Value;
        return await Task.Run(async () =>
        {
            var request = new PerfRequest(PerfSelection.AllNaive, entry: null).Enter();
            var statements = Recordings.GetOrAdd(request, _ => new ConcurrentQueue<string>());
            try
            {
                return (await work(), request.Counters, (IReadOnlyList<string>)[.. statements]);
            }
            finally
            {
                Recordings.TryRemove(request, out _);
            }
        });
    }

    /// <summary>How many times a statement's text occurs in what was sent (a batch holds many).</summary>
    public static int Count(IEnumerable<string> sql, string statement) =>
        sql.Sum(text => (text.Length - text.Replace(statement, "", StringComparison.Ordinal).Length) / statement.Length);
}
