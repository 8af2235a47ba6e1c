using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentWorkerOptions
{
    public const string SectionName = "Payments:Worker";

    /// <summary>How often the worker looks for due payments when the last look found fewer than it had places for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The most payments one look claims.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Payments settled at once: each waits on the provider, so this is what keeps up with the checkouts.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// How long a claimed payment is this instance's: other instances skip it until then, and take
    /// it over if this one died. Longer than settling one can take: a payment is claimed only when
    /// it has a place to settle in, and each of its calls to the provider gives up after the
    /// resilience pipeline's 5 s.
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
    private readonly SettlementSlots _slots = new(options.Value.MaxConcurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var places = await _slots.TakeAsync(options.Value.BatchSize, stoppingToken);
                var claimed = 0;
                try
                {
                    claimed = await StartDueAsync(places, stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database or the cluster is away: the payments stay due, and the next look retries them.
                    logger.LogWarning(error, "Settling due payments failed; trying again shortly");
                }
                finally
                {
                    _slots.Return(places - claimed);
                }

                if (claimed < places)
                {
                    await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
                }
            }
        }
        finally
        {
            // The payments in hand end (their calls see the stop) before the service does.
            await _slots.DrainAsync();
        }
    }

    /// <summary>
    /// Claims up to <paramref name="places"/> due payments and starts settling each in its place; returns how many were
    /// claimed. A round is one trace (each payment a span in it), a look that found nothing none: the poll every half
    /// second never crowds out the requests on the dashboard's Traces page. Under load only some rounds are traced
    /// (<see cref="TracedRounds"/>); the others start unsampled, so that no span below them is recorded, here or in the
    /// services they call. The settlements carry the round's trace with them and end after it.
    /// </summary>
    private async Task<int> StartDueAsync(int places, CancellationToken ct)
    {
        var due = await ClaimDueAsync(places, ct);
        if (due.Count == 0)
        {
            return 0;
        }

        using var round = _traced.Next() ? OrdersTracing.Source.StartActivity(SettleRound) : OrdersTracing.StartUnsampled(SettleRound);
        round?.SetTag("payments.claimed", due.Count);
        foreach (var paymentId in due)
        {
            _ = _slots.RunAsync(() => SettleAsync(paymentId, ct));
        }

        return due.Count;
    }

    private async Task SettleAsync(long paymentId, CancellationToken ct)
    {
        // Off the loop's thread at once: the loop goes on claiming while this one settles.
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PaymentSettler>().SettleAsync(paymentId, ct);
        }
        catch (Exception error) when (!ct.IsCancellationRequested)
        {
            // Its claim runs out and it becomes due again; the others go on.
            logger.LogWarning(error, "Settling payment {PaymentRecordId} failed; it is retried when its claim expires", paymentId);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Stopping: its claim runs out and any instance takes it again.
        }
    }

    /// <summary>
    /// Moves the due payments' next attempt past the claim: the claim is the update itself, and the
    /// rows other instances have locked in that instant are skipped rather than waited for.
    /// </summary>
    private async Task<List<long>> ClaimDueAsync(int batchSize, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var now = clock.GetUtcNow();
        var claimedUntil = now + options.Value.ClaimDuration;
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
