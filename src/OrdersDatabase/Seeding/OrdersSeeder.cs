using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace PerfReference.OrdersDatabase.Seeding;

/// <summary>
/// Loads generated customers, products, orders, order lines and payments with PostgreSQL's binary
/// COPY, in one transaction. Idempotent and incremental: it records how many rows it has loaded
/// per table and adds only what a size still lacks, so a second run of the same size adds nothing.
/// The data is generated from a fixed seed: the same size always yields the same customers and
/// products, whether it is seeded at once or grown from a smaller size.
/// </summary>
public sealed class OrdersSeeder(NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Loading millions of rows (and the indexes over them) takes longer than a command's default 30 s.</summary>
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Any constant: serialises seeders so two runs cannot both add the missing rows.</summary>
    private const long AdvisoryLockKey = 0x5EED_0_0DE5;

    private static readonly string[] Categories = ["books", "games", "music", "garden", "kitchen", "toys", "sports", "office"];
    private static readonly string[] Adjectives = ["Classic", "Compact", "Deluxe", "Eco", "Pro", "Smart", "Travel", "Vintage"];
    private static readonly string[] Nouns = ["Lamp", "Kettle", "Notebook", "Puzzle", "Racket", "Speaker", "Trowel", "Mug"];

    public async Task<SeedReport> SeedAsync(SeedSize size, IProgress<SeedTableProgress>? progress, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var added = new Dictionary<string, long>();

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);

        var now = clock.GetUtcNow();
        added["customers"] = await SeedCustomersAsync(connection, size, now, progress, ct);
        added["products"] = await SeedProductsAsync(connection, size, progress, ct);
        (added["orders"], added["order_lines"], added["payments"]) = await SeedOrdersAsync(connection, size, now, progress, ct);

        foreach (var table in new[] { "customers", "products", "order_lines", "payments" })
        {
            // Seeded rows carry explicit ids; move each identity past them so new rows do not collide.
            await ExecuteAsync(connection,
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))", ct);
        }

        // Orders take their ids from the hi/lo sequence (OrdersDbContext): move it past the seeded ones too.
        await ExecuteAsync(connection,
            $"SELECT setval('{OrdersDbContext.OrderIdSequence}', GREATEST((SELECT COALESCE(MAX(id), 0) FROM orders), 1))", ct);

        await transaction.CommitAsync(ct);

        if (added.Values.Any(rows => rows > 0))
        {
            await ExecuteAsync(connection, "ANALYZE customers, products, orders, order_lines, payments", ct);
        }

        return new SeedReport(size, added, stopwatch.Elapsed);
    }

    private static async Task<long> SeedCustomersAsync(NpgsqlConnection connection, SeedSize size, DateTimeOffset now, IProgress<SeedTableProgress>? progress, CancellationToken ct)
    {
        var (from, count) = await PlanAsync(connection, "customers", size.Customers, ct);
        var random = new Random(1_000 + 1);

        await using (var copy = await BeginCopyAsync(connection,
            "COPY customers (id, name, email, tier, loyalty_points, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var id = 1L; id < from + count; id++)
            {
                // Drawn for every id from 1, written from the first missing one: a database grown
                // from a smaller size holds the same rows as one seeded at this size at once.
                var (tier, points, ageDays) = (random.Next(10) switch { < 6 => 0, < 9 => 1, _ => 2 }, random.Next(5_000), random.Next(1_500));
                if (id < from)
                {
                    continue;
                }

                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync($"Customer {id}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"customer{id}@example.com", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(tier, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(points, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(now.AddDays(-ageDays), NpgsqlDbType.TimestampTz, ct);
                Report(progress, "customers", id - from + 1, count);
            }

            await copy.CompleteAsync(ct);
        }

        await RecordAsync(connection, "customers", size.Customers, ct);
        return count;
    }

    private static async Task<long> SeedProductsAsync(NpgsqlConnection connection, SeedSize size, IProgress<SeedTableProgress>? progress, CancellationToken ct)
    {
        var (from, count) = await PlanAsync(connection, "products", size.Products, ct);
        var random = new Random(2_000 + 1);

        await using (var copy = await BeginCopyAsync(connection,
            "COPY products (id, sku, name, category, price_minor, is_active) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var id = 1L; id < from + count; id++)
            {
                // As for customers: the same rows whether the size is reached at once or in steps.
                var name = $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]} {id}";
                var (category, price) = (Categories[random.Next(Categories.Length)], 199L + random.Next(20_000));
                if (id < from)
                {
                    continue;
                }

                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync($"SKU-{id:D7}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(name, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(category, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(price, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                Report(progress, "products", id - from + 1, count);
            }

            await copy.CompleteAsync(ct);
        }

        await RecordAsync(connection, "products", size.Products, ct);
        return count;
    }

    /// <summary>
    /// Orders, their lines and their (captured) payments, generated together and written as three
    /// COPY streams in turn: orders first, since lines and payments reference them.
    /// </summary>
    private static async Task<(long Orders, long Lines, long Payments)> SeedOrdersAsync(
        NpgsqlConnection connection, SeedSize size, DateTimeOffset now, IProgress<SeedTableProgress>? progress, CancellationToken ct)
    {
        var (from, count) = await PlanAsync(connection, "orders", size.Orders, ct);
        if (count == 0)
        {
            return (0, 0, 0);
        }

        var maxCustomer = await ScalarAsync(connection, "SELECT COALESCE(MAX(id), 0) FROM customers", ct);
        var prices = await ProductPricesAsync(connection, ct);
        if (maxCustomer == 0 || prices.Length == 0)
        {
            throw new InvalidOperationException("Orders need customers and products; the seeder found none.");
        }

        var orders = GenerateOrders(from, count, maxCustomer, prices, now).ToArray();

        await using (var copy = await BeginCopyAsync(connection,
            "COPY orders (id, customer_id, status, subtotal_minor, discount_minor, total_minor, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < orders.Length; i++)
            {
                var order = orders[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(order.Id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(order.CustomerId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(1, NpgsqlDbType.Integer, ct); // Paid
                await copy.WriteAsync(order.Total, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(0L, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(order.Total, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                Report(progress, "orders", i + 1, orders.Length);
            }

            await copy.CompleteAsync(ct);
        }

        var lineCount = orders.Sum(o => (long)o.Lines.Length);
        var written = 0L;
        await using (var copy = await BeginCopyAsync(connection,
            "COPY order_lines (order_id, product_id, quantity, unit_price_minor, line_total_minor) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var order in orders)
            {
                foreach (var (productId, quantity, unitPrice) in order.Lines)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(order.Id, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(productId, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(quantity, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(unitPrice, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(unitPrice * quantity, NpgsqlDbType.Bigint, ct);
                    Report(progress, "order_lines", ++written, lineCount);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await BeginCopyAsync(connection,
            "COPY payments (order_id, idempotency_key, provider_payment_id, status, amount_minor, attempts, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < orders.Length; i++)
            {
                var order = orders[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(order.Id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync($"seed:{order.Id}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"pay_seed_{order.Id}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(1, NpgsqlDbType.Integer, ct); // Captured
                await copy.WriteAsync(order.Total, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(order.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                Report(progress, "payments", i + 1, orders.Length);
            }

            await copy.CompleteAsync(ct);
        }

        await RecordAsync(connection, "orders", size.Orders, ct);
        return (count, lineCount, count);
    }

    private sealed record GeneratedOrder(long Id, long CustomerId, DateTimeOffset CreatedAt, (long ProductId, int Quantity, long UnitPrice)[] Lines)
    {
        public long Total => Lines.Sum(line => line.UnitPrice * line.Quantity);
    }

    private static IEnumerable<GeneratedOrder> GenerateOrders(long from, long count, long maxCustomer, long[] prices, DateTimeOffset now)
    {
        var random = new Random(3_000 + (int)from);
        for (var i = 0L; i < count; i++)
        {
            var lineCount = random.Next(1, 10);
            var lines = new (long, int, long)[lineCount];
            var firstProduct = random.Next(prices.Length);
            for (var l = 0; l < lineCount; l++)
            {
                // Consecutive products from a random start: distinct within the order, as checkout requires.
                var index = (firstProduct + l) % prices.Length;
                lines[l] = (index + 1, random.Next(1, 4), prices[index]);
            }

            yield return new GeneratedOrder(from + i, random.NextInt64(1, maxCustomer + 1), now.AddMinutes(-random.Next(1_000_000)), lines);
        }
    }

    /// <summary>Product prices by id - 1 (seeded products have ids 1..n).</summary>
    private static async Task<long[]> ProductPricesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var prices = new List<long>();
        await using var command = new NpgsqlCommand("SELECT price_minor FROM products ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            prices.Add(reader.GetInt64(0));
        }

        return [.. prices];
    }

    /// <summary>The next id to use and how many rows the table still lacks for this size.</summary>
    private static async Task<(long From, long Count)> PlanAsync(NpgsqlConnection connection, string table, int target, CancellationToken ct)
    {
        var seeded = await ScalarAsync(connection, $"SELECT COALESCE((SELECT rows FROM seed_progress WHERE table_name = '{table}'), 0)", ct);
        var next = await ScalarAsync(connection, $"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}", ct);
        return (next, Math.Max(0, target - seeded));
    }

    private static async Task RecordAsync(NpgsqlConnection connection, string table, int target, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO seed_progress (table_name, rows, updated_at) VALUES ($1, $2, now())
            ON CONFLICT (table_name) DO UPDATE SET rows = GREATEST(seed_progress.rows, EXCLUDED.rows), updated_at = now()
            """, connection);
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = (long)target });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Report(IProgress<SeedTableProgress>? progress, string table, long written, long planned)
    {
        // Reporting every row would cost more than writing it.
        if (progress is not null && (written % 10_000 == 0 || written == planned))
        {
            progress.Report(new SeedTableProgress(table, written, planned));
        }
    }

    private static async Task<NpgsqlBinaryImporter> BeginCopyAsync(NpgsqlConnection connection, string copyCommand, CancellationToken ct)
    {
        var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        importer.Timeout = BulkTimeout;
        return importer;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)BulkTimeout.TotalSeconds };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
