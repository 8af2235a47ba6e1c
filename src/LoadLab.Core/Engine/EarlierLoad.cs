using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.LoadLab.Engine;

/// <summary>
/// Waits, before a measurement, for the payments an earlier load left to the payment worker. An optimized checkout
/// defers its payment: every checkout a capacity search places at hundreds a second is settled afterwards, tens a second
/// (two provider calls, a grain call and the writes each), for many minutes after the search has ended. A run started
/// meanwhile shares the machine with that settlement, and its tail is the backlog's as much as its own (seen on
/// 7 December: a service at "rest" made 6,800 thread wake-ups a second and PostgreSQL 110 commits a second, an hour
/// after a search). The wait ends when nothing is left, when the count has stopped falling (payments the provider keeps
/// refusing or is not there for: waiting does not help), or at its limit; what is left then is recorded with the result.
/// </summary>
public sealed class EarlierLoad(TimeProvider clock)
{
    /// <summary>The lab's diagnostics endpoint for the payments circuit and the outbox (OrdersService, lab mode).</summary>
    public const string PaymentsPath = "api/diagnostics/payments";

    /// <summary>How often the outbox is looked at while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the outbox may stay as large before the wait gives up on it: its payments are not being settled.</summary>
    public TimeSpan StalledAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The most a measurement waits for an earlier load; a search's backlog can take longer, and the result then says so.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the wait says what is left.</summary>
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits until the payments outbox is empty, stalled or the limit is up, reporting what is left as it goes. Returns the
    /// payments still outstanding when the wait ended (0: at rest), or null when the service does not say (not in lab mode).
    /// </summary>
    public async Task<int?> SettleAsync(HttpClient http, IProgress<string>? progress, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var (lowest, lowestAt) = (int.MaxValue, started);
        long? reported = null;
        while (true)
        {
            if (await OutstandingAsync(http, ct) is not { } outstanding)
            {
                return null;
            }

            var now = clock.GetTimestamp();
            if (outstanding < lowest)
            {
                (lowest, lowestAt) = (outstanding, now);
            }

            var waited = clock.GetElapsedTime(started, now);
            if (outstanding == 0 || clock.GetElapsedTime(lowestAt, now) >= StalledAfter || waited >= Limit)
            {
                return outstanding;
            }

            if (reported is not { } last || clock.GetElapsedTime(last, now) >= ReportEvery)
            {
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{outstanding:N0} payments of an earlier load still settling; waiting before measuring ({waited.TotalSeconds:0} s of at most {Limit.TotalMinutes:0} min)"));
                reported = now;
            }

            await Task.Delay(PollInterval, clock, ct);
        }
    }

    /// <summary>The condition a measurement started on an unsettled outbox is kept apart under (null: at rest, or not known).</summary>
    public static string? Condition(int? outstanding) =>
        outstanding is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{outstanding:N0} payments of an earlier load still settling at the start") : null;

    private static async Task<int?> OutstandingAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.GetAsync(PaymentsPath, ct);
        if (!response.IsSuccessStatusCode)
        {
            return null; // not in lab mode, or an older service: nothing to wait for that the lab can see
        }

        var report = await response.Content.ReadFromJsonAsync(EarlierLoadJsonContext.Default.PaymentsOutbox, ct);
        return report?.OutstandingPayments;
    }
}

/// <summary>The part of OrdersService's payments report the wait reads.</summary>
public sealed record PaymentsOutbox(int OutstandingPayments);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PaymentsOutbox))]
internal sealed partial class EarlierLoadJsonContext : JsonSerializerContext;
