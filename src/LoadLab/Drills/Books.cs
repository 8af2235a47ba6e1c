using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Payments.V1;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Drills;

/// <summary>A customer's loyalty and order count, as the customer grain answers them.</summary>
public sealed record CustomerBalance(long CustomerId, int LoyaltyPoints, int OrderCount);

/// <summary>The books after a drill: in all, per variant, and the keys of the checkouts whose order is stored.</summary>
public sealed record DrillBooks(BooksCheck All, IReadOnlyDictionary<string, BooksCheck> ByVariant, IReadOnlySet<string> StoredKeys)
{
    /// <summary>Checkouts whose order is stored although the client never saw it acknowledged (it gave up, or its last answer was an error).</summary>
    public long StoredButUnacknowledged(IEnumerable<CheckoutOutcome> outcomes) => outcomes.Count(o => !o.Accepted && StoredKeys.Contains(o.Key));
}

/// <summary>
/// The books after a drill, checked in the orders database, at the payment provider and in the
/// customer grains: every accepted checkout has its order, whole; every order settled (paid, or
/// cancelled by a refusal) and each paid order captured exactly once for its total; no money taken
/// or held for an order that does not exist; each customer's loyalty and order count moved by
/// exactly what their new orders give.
/// </summary>
public sealed class Books(DrillContext context)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Order statuses (OrdersDatabase.Ordering.OrderStatus): placed and paid orders earn loyalty; paid and cancelled are settled.</summary>
    private const int Placed = 0, Paid = 1, Cancelled = 2;

    public async Task<IReadOnlyDictionary<long, CustomerBalance>> BalancesAsync(IEnumerable<long> customers, CancellationToken ct)
    {
        var balances = new Dictionary<long, CustomerBalance>();
        foreach (var customer in customers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/customers/{customer}");
            request.Headers.Add(PerfSelection.HeaderName, Variant.Optimized.Header);
            using var response = await context.Orders.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var profile = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            balances[customer] = new(customer, profile.GetProperty("loyaltyPoints").GetInt32(), profile.GetProperty("orderCount").GetInt32());
        }

        return balances;
    }

    /// <summary>
    /// Waits until no order of <paramref name="customers"/> is waiting for the payment worker, and returns how many still
    /// are when <paramref name="timeout"/> is up (0: quiet). The worker credits a customer's loyalty when it settles an
    /// order, so an earlier load still being settled (a capacity search's thousands of deferred payments) would move the
    /// balances a drill reads before it starts — and hold the worker's queue in front of the drill's own orders.
    /// </summary>
    public Task<long> WaitUntilQuietAsync(IReadOnlyCollection<long> customers, TimeSpan timeout, CancellationToken ct) =>
        PollAsync(async () =>
        {
            await using var command = context.OrdersDb.CreateCommand($"""
                SELECT count(*) FROM orders o
                WHERE o.customer_id = ANY($1)
                  AND (o.status NOT IN ({Paid}, {Cancelled})
                       OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.next_attempt_at IS NOT NULL))
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, waiting => waiting == 0, timeout, ct);

    /// <summary>Waits until every order of the drill is settled and every stray authorisation released, or the time is up.</summary>
    public Task WaitUntilSettledAsync(IReadOnlyCollection<string> keys, DateTimeOffset since, TimeSpan timeout, CancellationToken ct) =>
        PollAsync(async () =>
        {
            var orders = await OrdersAsync(keys, ct);
            var held = await ProviderPaymentsWithoutOrderAsync(orders, since, PaymentStatus.Authorized, ct);
            return orders.All(o => o.Status is Paid or Cancelled && !o.PaymentDue) && held.Count == 0;
        }, settled => settled, timeout, ct);

    /// <summary>Reads once a second until <paramref name="done"/> holds or <paramref name="timeout"/> is up; the last reading either way.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var reading = await read();
            if (done(reading) || DateTimeOffset.UtcNow >= deadline)
            {
                return reading;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>
    /// The books of the drill, in all and per variant: the orders, the provider's payments and the balances are read
    /// once; each variant's books are those of its checkouts, its orders and its customers (each customer of a drill
    /// orders with one variant), and money charged or held with no order is a variant's when it names one of its customers.
    /// </summary>
    public async Task<DrillBooks> CheckAsync(IReadOnlyList<CheckoutOutcome> outcomes, IReadOnlyDictionary<long, CustomerBalance> before, DateTimeOffset since, CancellationToken ct)
    {
        var orders = await OrdersAsync([.. outcomes.Select(o => o.Key)], ct);
        var atProvider = await ProviderPaymentsAsync(since, PaymentStatus.Unspecified, ct);
        var charged = await ProviderPaymentsWithoutOrderAsync(orders, since, PaymentStatus.Captured, ct);
        var held = await ProviderPaymentsWithoutOrderAsync(orders, since, PaymentStatus.Authorized, ct);
        var after = await BalancesAsync(before.Keys, ct);
        var ledger = new Ledger(orders, atProvider, charged, held, before, after);

        var byVariant = outcomes.GroupBy(o => o.Variant, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => ledger.Check(g.ToArray(), g.Select(o => o.CustomerId).ToHashSet(), payment => PaymentReferences.CustomerOf(payment.CustomerReference)),
            StringComparer.Ordinal);
        return new DrillBooks(ledger.Check(outcomes, before.Keys.ToHashSet(), _ => null), byVariant, orders.Select(o => o.Key).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>What the books read after the drill, checked for any share of its checkouts.</summary>
    private sealed class Ledger(
        IReadOnlyList<StoredOrder> orders, IReadOnlyList<Payment> atProvider, IReadOnlyList<Payment> charged, IReadOnlyList<Payment> held,
        IReadOnlyDictionary<long, CustomerBalance> before, IReadOnlyDictionary<long, CustomerBalance> after)
    {
        private readonly Dictionary<string, StoredOrder> _byKey = orders.ToDictionary(o => o.Key, StringComparer.Ordinal);
        private readonly Dictionary<string, Payment> _byPaymentId = atProvider.ToDictionary(p => p.PaymentId, StringComparer.Ordinal);

        /// <param name="payer">The customer a payment with no order names, when it can be told (null: every such payment counts).</param>
        public BooksCheck Check(IReadOnlyList<CheckoutOutcome> outcomes, IReadOnlySet<long> customers, Func<Payment, long?> payer)
        {
            var findings = new List<string>();
            var keys = outcomes.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
            var mine = orders.Where(o => keys.Contains(o.Key)).ToArray();

            var lost = outcomes.Where(o => o.Accepted && (!_byKey.TryGetValue(o.Key, out var order) || order.Id != o.OrderId)).ToArray();
            findings.AddRange(lost.Take(5).Select(o => $"{o.Key}: answered {o.Status} with order {o.OrderId}, which is not stored"));

            var halfWritten = mine.Where(o => o.Lines == 0 || o.PaymentRecords != 1).ToArray();
            findings.AddRange(halfWritten.Take(5).Select(o => $"order {o.Id}: {o.Lines} lines, {o.PaymentRecords} payment records"));

            var unsettled = mine.Where(o => o.Status is not (Paid or Cancelled) || o.PaymentDue).ToArray();
            findings.AddRange(unsettled.Take(5).Select(o => $"order {o.Id} not settled (status {o.Status})"));

            // At the provider: each paid order's payment captured once for its total; nothing charged or held without an order.
            var uncaptured = 0L;
            foreach (var order in mine.Where(o => o.Status == Paid))
            {
                var payment = _byPaymentId.GetValueOrDefault(order.ProviderPaymentId);
                if (payment is not { Status: PaymentStatus.Captured } || payment.CapturedMinor != order.TotalMinor)
                {
                    uncaptured++;
                    findings.Add($"order {order.Id}: paid here, {payment?.Status.ToString() ?? "unknown"} with {payment?.CapturedMinor ?? 0} of {order.TotalMinor} captured at the provider");
                }
            }

            var paymentKeys = mine.Select(o => o.PaymentKey).ToHashSet(StringComparer.Ordinal);
            var doubleCharges = atProvider.Where(p => paymentKeys.Contains(p.AuthorizationKey)).GroupBy(p => p.AuthorizationKey, StringComparer.Ordinal)
                .Count(g => g.Count(p => p.Status == PaymentStatus.Captured) > 1);
            bool Ours(Payment payment) => payer(payment) is not { } customer || customers.Contains(customer);
            var chargedHere = charged.Where(Ours).ToArray();
            var heldHere = held.Where(Ours).ToArray();
            findings.AddRange(chargedHere.Take(5).Select(p => $"{p.PaymentId}: captured {p.CapturedMinor} with no stored order"));
            findings.AddRange(heldHere.Take(5).Select(p => $"{p.PaymentId}: {p.AmountMinor} still held with no stored order"));

            // Loyalty: what each customer's new orders give — a point per whole unit of currency of each order that was placed.
            var wrong = 0L;
            foreach (var (customer, was) in before.Where(b => customers.Contains(b.Key)))
            {
                var earned = orders.Where(o => o.CustomerId == customer && o.Status is Placed or Paid).ToArray();
                var expected = (Points: was.LoyaltyPoints + earned.Sum(o => (int)(o.TotalMinor / 100)), Count: was.OrderCount + earned.Length);
                if ((after[customer].LoyaltyPoints, after[customer].OrderCount) != expected)
                {
                    wrong++;
                    findings.Add($"customer {customer}: {after[customer].LoyaltyPoints} points and {after[customer].OrderCount} orders, expected {expected.Points} and {expected.Count}");
                }
            }

            return new BooksCheck(mine.Length, lost.Length, halfWritten.Length, unsettled.Length, doubleCharges, chargedHere.Length, heldHere.Length, uncaptured, wrong, findings);
        }
    }

    private async Task<List<StoredOrder>> OrdersAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        await using var command = context.OrdersDb.CreateCommand("""
            SELECT o.id, o.idempotency_key, o.customer_id, o.status, o.total_minor,
                   (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id),
                   (SELECT count(*) FROM payments p WHERE p.order_id = o.id),
                   (SELECT p.provider_payment_id FROM payments p WHERE p.order_id = o.id ORDER BY p.id LIMIT 1),
                   (SELECT p.idempotency_key FROM payments p WHERE p.order_id = o.id ORDER BY p.id LIMIT 1),
                   EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.next_attempt_at IS NOT NULL)
            FROM orders o WHERE o.idempotency_key = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var orders = new List<StoredOrder>();
        while (await reader.ReadAsync(ct))
        {
            orders.Add(new StoredOrder(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? "" : reader.GetString(7), reader.IsDBNull(8) ? "" : reader.GetString(8), reader.GetBoolean(9)));
        }

        return orders;
    }

    /// <summary>The provider's payments in <paramref name="status"/>, created since the drill began, whose key belongs to no stored payment record.</summary>
    private async Task<List<Payment>> ProviderPaymentsWithoutOrderAsync(IReadOnlyCollection<StoredOrder> orders, DateTimeOffset since, PaymentStatus status, CancellationToken ct)
    {
        var stored = orders.Select(o => o.PaymentKey).ToHashSet(StringComparer.Ordinal);
        var payments = await ProviderPaymentsAsync(since, status, ct);
        var unknown = payments.Where(p => !stored.Contains(p.AuthorizationKey)).ToList();
        if (unknown.Count == 0)
        {
            return unknown;
        }

        // Keys of payment records outside the drill (another client's orders) are not the drill's to judge.
        await using var command = context.OrdersDb.CreateCommand("SELECT idempotency_key FROM payments WHERE idempotency_key = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = unknown.Select(p => p.AuthorizationKey).ToArray() });
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                known.Add(reader.GetString(0));
            }
        }

        return [.. unknown.Where(p => !known.Contains(p.AuthorizationKey))];
    }

    private async Task<List<Payment>> ProviderPaymentsAsync(DateTimeOffset since, PaymentStatus status, CancellationToken ct)
    {
        var request = new ListPaymentsRequest { CreatedFrom = Timestamp.FromDateTimeOffset(since), Status = status, PageSize = 1_000 };
        var payments = new List<Payment>();
        do
        {
            var page = await context.Payments.ListPaymentsAsync(request, cancellationToken: ct);
            payments.AddRange(page.Payments);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return payments;
    }

    private sealed record StoredOrder(long Id, string Key, long CustomerId, int Status, long TotalMinor, long Lines, long PaymentRecords,
        string ProviderPaymentId, string PaymentKey, bool PaymentDue);
}
