using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentWorkerOptions
{
    public const string SectionName = "Payments:Worker";

    /// <summary>How often the worker looks for due payments when the last look found less than a batch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(1, 10_000)]

    public int BatchSize { get; set; } = 50;

    /// <summary>Payments settled at once: each waits on the provider, so this is what keeps up with the checkouts.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// How long a claimed payment is this instance's: other instances skip it until then, and take
    /// it over if this one died. Longer than settling a batch can take: each call to the provider
    /// gives up after the resilience pipeline's 5 s, a batch settles 16 at a time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A checkout that captures inline (naive) gets this long — more than its blocking call's
    /// deadline — before the worker treats its capture as failed and captures it itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InlineCaptureGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first pause after a failed attempt; it doubles with each attempt, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A round is traced when none was for this long (<see cref="TracedRounds"/>); zero traces every round.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TraceRoundsEvery { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The payments outbox's worker: takes payments off the checkout's critical path. It claims due
/// payments (<c>next_attempt_at</c> passed) in batches with <c>FOR UPDATE SKIP LOCKED</c>, so any
/// number of orders-service instances share the work without taking the same payment, and hands
/// each to the <see cref="PaymentSettler"/>. A pending payment is authorised then captured, an
/// authorised one captured; failures are retried later, never charged twice (idempotency keys).
/// </summary>
public sealed class PaymentCaptureWorker(
    IServiceScopeFactory scopes,
    IOptions<PaymentWorkerOptions> options,
    TimeProvider clock,
    ILogger<PaymentCaptureWorker> logger) : BackgroundService
{
    private const string SettleRound = "Settle due payments";

    private readonly TracedRounds _traced = new(options.Value.TraceRoundsEvery, clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await SettleDueAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the cluster is away: the payments stay due, and the next look retries them.
                logger.LogWarning(error, "Settling due payments failed; trying again shortly");
            }

            if (claimed < options.Value.BatchSize)
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Claims one batch of due payments and settles them; returns how many were claimed. A batch is one trace (each
    /// payment a span in it), a look that found nothing none: the poll every half second never crowds out the
    /// requests on the dashboard's Traces page. Under load only some batches are traced (<see cref="TracedRounds"/>);
    /// the others start unsampled, so that no span below them is recorded, here or in the services they call.
    /// </summary>
    private async Task<int> SettleDueAsync(CancellationToken ct)
    {
        var due = await ClaimDueAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        using var batch = _traced.Next() ? OrdersTracing.Source.StartActivity(SettleRound) : OrdersTracing.StartUnsampled(SettleRound);
        batch?.SetTag("payments.claimed", due.Count);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct },
            async (paymentId, token) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<PaymentSettler>().SettleAsync(paymentId, token);
                }
                catch (Exception error) when (!token.IsCancellationRequested)
                {
                    // Its claim runs out and it becomes due again; the others in the batch go on.
                    logger.LogWarning(error, "Settling payment {PaymentRecordId} failed; it is retried when its claim expires", paymentId);
                }
            });
        return due.Count;
    }

    /// <summary>
    /// Moves the due payments' next attempt past the claim: the claim is the update itself, and the
    /// rows other instances have locked in that instant are skipped rather than waited for.
    /// </summary>
    private async Task<List<long>> ClaimDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var now = clock.GetUtcNow();
        var claimedUntil = now + options.Value.ClaimDuration;
        var batchSize = options.Value.BatchSize;
        return await db.Database.SqlQuery<long>($"""
            UPDATE payments SET next_attempt_at = {claimedUntil}
            WHERE id IN (
                SELECT id FROM payments
                WHERE next_attempt_at <= {now}
                ORDER BY next_attempt_at
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(ct);
    }
}
