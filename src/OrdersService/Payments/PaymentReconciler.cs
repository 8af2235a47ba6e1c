using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersService.Infrastructure;
using PerfReference.Payments.V1;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Payments;

public sealed class PaymentReconciliationOptions
{
    public const string SectionName = "Payments:Reconciliation";

    /// <summary>How often the provider's open authorisations are compared with the stored payments.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old an authorisation must be before its missing payment record counts: a checkout
    /// authorises first and stores its order a moment later, and a client may retry a failed
    /// checkout with the same key for a while (its retry replays this authorisation).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far back the first round of a process looks: authorisations older than this have expired at the provider
    /// anyway. Later rounds look only at what is new since the round before (<see cref="PaymentReconciler"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Releases authorisations that no stored order will ever capture. A checkout authorises the
/// payment before it stores the order; if the service dies between the two (or the database
/// refused the order and the client never came back), the customer's money is held at the
/// provider for an order that does not exist. Every <see cref="PaymentReconciliationOptions.Interval"/>
/// this lists the provider's open authorisations older than the grace period and voids those whose
/// key has no payment record here. Voiding twice is harmless (same key), so any number of
/// instances may run it.
/// </summary>
/// <remarks>
/// Incremental: a round asks only for the authorisations created since the last round that completed (the
/// watermark), up to the grace period before now. Whatever a round has looked at is settled for good — an
/// authorisation past its grace either has its payment record (its order will capture it) or has been voided — so
/// there is nothing to look at twice, and an idle round costs one call to the provider however long the history,
/// where listing the whole lookback every round cost a page per 500 open authorisations. A round that fails keeps
/// the watermark where it was: the next one looks at the same window again. Each process starts from the whole
/// lookback once. (The provider stamps an authorisation with its own clock: a skew between its clock and this
/// service's larger than the grace could let one slip behind the watermark.)
/// </remarks>
public sealed class PaymentReconciler(
    IServiceScopeFactory scopes,
    IOptions<PaymentReconciliationOptions> options,
    IMeterFactory meters,
    TimeProvider clock,
    ILogger<PaymentReconciler> logger) : BackgroundService
{
    private readonly Counter<long> _released = meters.Create(PerfMetrics.MeterName)
        .CreateCounter<long>("payments.reconciliation.released", "{authorization}", "Authorisations voided because no stored order will capture them");

    /// <summary>Authorisations created before this have been looked at by a completed round; null until the first.</summary>
    private DateTimeOffset? _checkedUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.Interval, clock, stoppingToken);
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The provider or the database is away: the orphans wait for the next round.
                logger.LogWarning(error, "Reconciling payments with the provider failed; trying again in {Interval}", options.Value.Interval);
            }
        }
    }

    /// <summary>One round; returns how many authorisations it released.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentGateway>();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var now = clock.GetUtcNow();
        var lookback = now - options.Value.Lookback;
        var from = _checkedUntil is { } checkedUntil && checkedUntil > lookback ? checkedUntil : lookback;
        var before = now - options.Value.Grace;
        if (before <= from)
        {
            return 0;
        }

        List<Payment> orphans;
        // A round that finds nothing is not worth a trace every few seconds, here or at the provider: only a release is.
        using (OrdersTracing.StartUnsampled("Look for orphaned authorisations"))
        {
            var open = await payments.ListAsync(PaymentStatus.Authorized, from, before, ct).ToListAsync(ct);
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (var keys in open.Select(p => p.AuthorizationKey).Chunk(500))
            {
                known.UnionWith(await db.Payments.Where(p => keys.Contains(p.IdempotencyKey)).Select(p => p.IdempotencyKey).ToListAsync(ct));
            }

            orphans = [.. open.Where(p => !known.Contains(p.AuthorizationKey))];
        }

        if (orphans.Count > 0)
        {
            await ReleaseAsync(payments, orphans, ct);
        }

        _checkedUntil = before;
        return orphans.Count;
    }

    /// <summary>Voids each orphan: one trace for the round, a span per release.</summary>
    private async Task ReleaseAsync(PaymentGateway payments, List<Payment> orphans, CancellationToken ct)
    {
        using var round = OrdersTracing.Source.StartActivity("Release orphaned authorisations");
        round?.SetTag("payments.released", orphans.Count);
        foreach (var orphan in orphans)
        {
            using var activity = OrdersTracing.Source.StartActivity("Release orphaned authorisation");
            activity?.SetTag("payments.provider_payment_id", orphan.PaymentId);
            await payments.VoidAsync(orphan.PaymentId, $"void:{orphan.PaymentId}", ct);
            _released.Add(1);
            logger.LogWarning("Voided authorisation {PaymentId} of {Amount} for {Customer}: no stored order has its key (authorised {CreatedAt:u})",
                orphan.PaymentId, orphan.AmountMinor, orphan.CustomerReference, orphan.CreatedAt.ToDateTimeOffset());
        }
    }
}
