using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
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
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back to look: authorisations older than this have expired at the provider anyway.</summary>
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
public sealed class PaymentReconciler(
    IServiceScopeFactory scopes,
    IOptions<PaymentReconciliationOptions> options,
    IMeterFactory meters,
    TimeProvider clock,
    ILogger<PaymentReconciler> logger) : BackgroundService
{
    private readonly Counter<long> _released = meters.Create(PerfMetrics.MeterName)
        .CreateCounter<long>("payments.reconciliation.released", "{authorization}", "Authorisations voided because no stored order will capture them");

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

        List<Payment> open;
        var known = new HashSet<string>(StringComparer.Ordinal);
        // A round that finds nothing is not worth a trace every few seconds: only a release is.
        using (SuppressInstrumentationScope.Begin())
        {
            open = await payments.ListAsync(PaymentStatus.Authorized, now - options.Value.Lookback, now - options.Value.Grace, ct).ToListAsync(ct);
            foreach (var keys in open.Select(p => p.AuthorizationKey).Chunk(500))
            {
                known.UnionWith(await db.Payments.Where(p => keys.Contains(p.IdempotencyKey)).Select(p => p.IdempotencyKey).ToListAsync(ct));
            }
        }

        var released = 0;
        foreach (var orphan in open.Where(p => !known.Contains(p.AuthorizationKey)))
        {
            using var activity = OrdersTracing.Source.StartActivity("Release orphaned authorisation");
            activity?.SetTag("payments.provider_payment_id", orphan.PaymentId);
            await payments.VoidAsync(orphan.PaymentId, $"void:{orphan.PaymentId}", ct);
            _released.Add(1);
            released++;
            logger.LogWarning("Voided authorisation {PaymentId} of {Amount} for {Customer}: no stored order has its key (authorised {CreatedAt:u})",
                orphan.PaymentId, orphan.AmountMinor, orphan.CustomerReference, orphan.CreatedAt.ToDateTimeOffset());
        }

        return released;
    }
}
