using System.Globalization;
using System.Text;

namespace PerfReference.Performance;

/// <summary>
/// The <c>Server-Timing</c> header of a measured request: how long the service took until it
/// answered (<c>app</c>) and how much of that it spent waiting on each dependency (<c>db</c>,
/// <c>grains</c>, <c>payments</c>), with the counts as descriptions. Browsers show it in their
/// network panel; the load lab reads it back to say where a variant's time goes.
/// </summary>
public static class ServerTiming
{
    public const string HeaderName = "Server-Timing";

    /// <summary>From the request's arrival at the service to the start of its response.</summary>
    public const string App = "app";

    /// <summary>Summed over the request's PostgreSQL commands (sent one after another in every variant).</summary>
    public const string Database = "db";

    /// <summary>Summed over the request's grain calls: more than the wall time when calls overlap (fan-out).</summary>
    public const string Grains = "grains";

    /// <summary>Summed over the request's calls to the payment provider.</summary>
    public const string Payments = "payments";

    public const string Redis = "redis";

    /// <summary>The link to the silos, there and back, summed over the grain calls on the request's critical path (<see cref="GrainCallPath"/>).</summary>
    public const string GrainLink = "grain-link";

    /// <summary>The wait in the silos before the calls ran (the activations' queues), summed over the critical path's calls.</summary>
    public const string GrainWait = "grain-wait";

    /// <summary>The grains' own execution, summed over the critical path's calls.</summary>
    public const string GrainRun = "grain-run";

    /// <summary>The longest any one grain call of the request waited in a silo: a maximum over the calls, not a sum.</summary>
    public const string GrainLongestWait = "grain-wait-max";

    /// <summary>Summed over the physical connections the request opened to PostgreSQL (none from a warm pool).</summary>
    public const string DatabaseConnect = "db-connect";

    public static string Format(PerfCounters counters, TimeSpan elapsed)
    {
        var header = new StringBuilder();
        header.Append(CultureInfo.InvariantCulture, $"{App};dur={elapsed.TotalMilliseconds:F1}");
        header.Append(CultureInfo.InvariantCulture, $", {Database};dur={counters.DbTime.TotalMilliseconds:F1};desc=\"{counters.DbRoundtrips} round trips\"");
        header.Append(CultureInfo.InvariantCulture, $", {DatabaseConnect};dur={counters.DbConnectTime.TotalMilliseconds:F1};desc=\"{counters.DbConnectionOpens} opens\"");
        header.Append(CultureInfo.InvariantCulture,
            $", {Grains};dur={counters.GrainTime.TotalMilliseconds:F1};desc=\"{counters.GrainCalls} calls, at most {counters.MaxGrainCallsInFlight} at once\"");
        header.Append(CultureInfo.InvariantCulture, $", {Payments};dur={counters.PaymentTime.TotalMilliseconds:F1};desc=\"{counters.PaymentCalls} calls\"");
        header.Append(CultureInfo.InvariantCulture, $", {Redis};desc=\"{counters.RedisOperations} ops\"");
        if (counters.GrainPath is { Calls: > 0 } path)
        {
            // Microseconds: a warm grain answers in well under a millisecond, and its wait is often a few microseconds.
            var onPath = $"desc=\"{path.Calls} calls on the critical path\"";
            header.Append(CultureInfo.InvariantCulture, $", {GrainLink};dur={path.Link.TotalMilliseconds:F3};{onPath}");
            header.Append(CultureInfo.InvariantCulture, $", {GrainWait};dur={path.SiloWait.TotalMilliseconds:F3};{onPath}");
            header.Append(CultureInfo.InvariantCulture, $", {GrainRun};dur={path.Run.TotalMilliseconds:F3};{onPath}");
            header.Append(CultureInfo.InvariantCulture, $", {GrainLongestWait};dur={path.LongestSiloWait.TotalMilliseconds:F3};desc=\"the longest one call waited in a silo\"");
        }

        return header.ToString();
    }

    /// <summary>
    /// The durations (ms) of a <c>Server-Timing</c> header's metrics, by name; metrics without a
    /// duration and malformed parts are left out. Commas inside quoted descriptions do not split.
    /// Read over spans of the header, not split into strings: the load lab reads every answer's
    /// header, and the pieces of a split were most of what its client allocated per request.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Durations(string header)
    {
        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        var metrics = header.AsSpan();
        bool lastMetric;
        do
        {
            var parameters = TakeOutsideQuotes(ref metrics, ',', out lastMetric);
            var name = TakeOutsideQuotes(ref parameters, ';', out var noParameter).Trim();
            while (!noParameter)
            {
                var parameter = TakeOutsideQuotes(ref parameters, ';', out noParameter);
                var equals = parameter.IndexOf('=');
                if (name.Length > 0 && equals >= 0 && parameter[..equals].Trim() is "dur" &&
                    double.TryParse(parameter[(equals + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    durations[name.ToString()] = ms;
                }
            }
        }
        while (!lastMetric);

        return durations;
    }

    /// <summary>
    /// The text up to the first <paramref name="separator"/> outside double quotes; <paramref name="text"/> becomes what
    /// follows it, and <paramref name="last"/> says no separator was left (the whole text was taken).
    /// </summary>
    private static ReadOnlySpan<char> TakeOutsideQuotes(ref ReadOnlySpan<char> text, char separator, out bool last)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == separator && !quoted)
            {
                var part = text[..i];
                text = text[(i + 1)..];
                last = false;
                return part;
            }
        }

        var rest = text;
        text = [];
        last = true;
        return rest;
    }
}
