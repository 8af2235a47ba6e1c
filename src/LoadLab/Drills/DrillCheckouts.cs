using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;

namespace PerfReference.LoadLab.Drills;

/// <summary>One checkout as a drill's client saw it, from its first attempt to its last answer.</summary>
public sealed record CheckoutOutcome(
    string Key,
    long CustomerId,
    string Variant,
    TimeSpan Due,
    TimeSpan Finished,
    int Attempts,
    int? Status,
    IReadOnlyList<string> Answers,
    long? OrderId)
{
    public bool Accepted => Status is >= 200 and < 300;

    public TimeSpan Latency => Finished - Due;
}

/// <summary>
/// The drills' client: a checkout with its own Idempotency-Key, retried with the same key — as a
/// well-behaved client does — on 503 (after its Retry-After), on a timeout or a broken connection,
/// and on any other 5xx (counted: the books allow none), until it gets an answer or gives up. Its pauses
/// are jittered (<see cref="RetryPause"/>): clients that all failed at the same moment do not all come back at the same moment.
/// </summary>
public sealed class DrillCheckouts(HttpClient orders, IReadOnlyList<long> productIds, Random? jitter = null)
{
    public const int MaxAttempts = 10;

    /// <summary>Naive and optimized alternate: the drill holds both code paths to the same books.</summary>
    public static readonly string[] Variants = [Variant.Naive.Header, Variant.Optimized.Header];

    /// <summary>The customers a drill orders for (the tiny data set's second half), so its books are its own.</summary>
    public static readonly long[] Customers = [.. Enumerable.Range(51, 50).Select(i => (long)i)];

    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    public async Task<CheckoutOutcome> PlaceAsync(long sequence, string run, TimeSpan due, Stopwatch clock, CancellationToken ct)
    {
        var key = $"drill-{run}-{sequence}";
        var customer = Customers[sequence % Customers.Length];
        var variant = Variants[sequence % Variants.Length];
        var lines = new[] { productIds[(int)(sequence % productIds.Count)], productIds[(int)((sequence + 7) % productIds.Count)] }
            .Distinct().Select(id => new CheckoutBodyLine(id, 1 + (int)(sequence % 3))).ToArray();
        var answers = new List<string>();

        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/orders")
                {
                    Content = JsonContent.Create(new CheckoutBody(customer, lines), ScenarioJsonContext.Default.CheckoutBody),
                };
                request.Headers.Add("Idempotency-Key", key);
                request.Headers.Add(PerfSelection.HeaderName, variant);
                using var response = await orders.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                answers.Add(status == 503 && response.Headers.RetryAfter is null ? "503 without Retry-After" : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (response.IsSuccessStatusCode)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    return new(key, customer, variant, due, clock.Elapsed, attempt, status, answers, body.RootElement.GetProperty("id").GetInt64());
                }

                if (status < 500 || attempt >= MaxAttempts || clock.Elapsed - due > GiveUpAfter)
                {
                    return new(key, customer, variant, due, clock.Elapsed, attempt, status, answers, null);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                answers.Add(error is TaskCanceledException ? "timeout" : "no connection");
                if (attempt >= MaxAttempts || clock.Elapsed - due > GiveUpAfter)
                {
                    return new(key, customer, variant, due, clock.Elapsed, attempt, null, answers, null);
                }
            }

            await Task.Delay(RetryPause.After(attempt, retryAfter, jitter ?? Random.Shared), ct);
        }
    }
}

/// <summary>
/// How long a drill's client waits before it tries a checkout again. Every client that met the same fault failed at the
/// same moment; waiting exactly what the server said (or a fixed backoff) brings them all back at the same moment too, and
/// a service that has just come back meets every retry at once. So each pause is spread at random: after a 503 with
/// Retry-After, between that and twice that (never sooner than the server asked); after a timeout, a broken connection or
/// a 503 without Retry-After, a backoff of 0.5 s doubling per attempt up to 5 s, of which a random half is waited
/// ("equal jitter": at least half the backoff, so a retry never comes at once).
/// </summary>
public static class RetryPause
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public static TimeSpan After(int attempt, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked * (1 + random.NextDouble());
        }

        var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, (long)(FirstBackoff.Ticks * Math.Pow(2, Math.Max(0, attempt - 1)))));
        return backoff / 2 + backoff / 2 * random.NextDouble();
    }
}
