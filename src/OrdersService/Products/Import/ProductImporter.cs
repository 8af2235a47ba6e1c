using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Products.Import;

/// <summary>
/// Imports a product feed (JSON Lines: a new SKU is inserted, a known one updated) in the two variants of the catalog
/// entry <c>bulk-insert</c>. Naive: every line read and checked into a list, then row by row through EF Core — the
/// entity added and saved, one INSERT (or UPDATE) statement and one round trip per row, its generated id read back.
/// Optimized: the lines streamed as they are read into a temporary staging
/// table by PostgreSQL's binary COPY, then one INSERT … ON CONFLICT merge from it into products. Either way the
/// import is one transaction: a line that cannot be imported (<see cref="ProductImportException"/>) leaves nothing
/// of it behind — the naive variant finds it before it writes, the optimized one cancels its COPY and rolls back.
/// </summary>
public sealed class ProductImporter(OrdersDbContext db, NpgsqlDataSource database, IPerfSwitch perf)
{
    /// <summary>Bulk work outlives a command's default 30 s on a large feed.</summary>
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The SKUs of the load lab's feeds: the lab removes them after a run (POST /api/diagnostics/lab-feed/remove).</summary>
    public const string LabFeedSkuPrefix = "LAB-FEED-";

    private const string CreateStaging =
        """
        CREATE TEMPORARY TABLE product_import (
            line integer NOT NULL, sku varchar(64) NOT NULL, name varchar(200) NOT NULL,
            category varchar(100) NOT NULL, price_minor bigint NOT NULL, is_active boolean NOT NULL
        ) ON COMMIT DROP
        """;

    private const string CopyIntoStaging = "COPY product_import (line, sku, name, category, price_minor, is_active) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// One statement for the whole feed: new SKUs inserted in the feed's order, known ones updated only when a field
    /// changed (as EF's change tracking does), and the counts read from what the statement returned.
    /// </summary>
    private const string MergeFromStaging =
        """
        WITH merged AS (
            INSERT INTO products AS p (sku, name, category, price_minor, is_active)
            SELECT sku, name, category, price_minor, is_active FROM product_import ORDER BY line
            ON CONFLICT (sku) DO UPDATE
                SET name = EXCLUDED.name, category = EXCLUDED.category, price_minor = EXCLUDED.price_minor, is_active = EXCLUDED.is_active
                WHERE (p.name, p.category, p.price_minor, p.is_active)
                      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.category, EXCLUDED.price_minor, EXCLUDED.is_active)
            RETURNING p.id, xmax = 0 AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), coalesce(array_agg(id ORDER BY id) FILTER (WHERE NOT inserted), '{}')
        FROM merged
        """;

    public Task<ImportOutcome> ImportAsync(Stream feed, CancellationToken ct) =>
        perf.IsOptimized(PerfCatalog.BulkInsert) ? ImportByCopyAsync(feed, ct) : ImportRowByRowAsync(feed, ct);

    /// <summary>
    /// Naive: the whole feed in memory, then row by row — the entity added (or the known product updated when it
    /// changed) and saved: one statement and one round trip per row, in one transaction so that the import is all or
    /// nothing. (The tracker is cleared after each row, so the cost stays per row rather than growing with every row
    /// tracked before it.)
    /// </summary>
    private async Task<ImportOutcome> ImportRowByRowAsync(Stream feed, CancellationToken ct)
    {
        var rows = new List<ProductImportRow>();
        await foreach (var row in ProductImportReader.ReadAsync(feed, ct))
        {
            rows.Add(row);
        }

        var skus = rows.Select(r => r.Sku).ToList();
        var known = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, ct);
        // The service's retrying execution strategy runs a transaction it may have to repeat as one unit.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (inserted, updatedIds) = (0, new List<long>());
            foreach (var row in rows)
            {
                var product = new Product { Sku = row.Sku, Name = row.Name, Category = row.Category, PriceMinor = row.PriceMinor, IsActive = row.IsActive };
                if (!known.TryGetValue(row.Sku, out var existing))
                {
                    db.Products.Add(product);
                    inserted++;
                }
                else if ((existing.Name, existing.Category, existing.PriceMinor, existing.IsActive) != (row.Name, row.Category, row.PriceMinor, row.IsActive))
                {
                    product.Id = existing.Id;
                    db.Products.Update(product);
                    updatedIds.Add(existing.Id);
                }
                else
                {
                    continue;
                }

                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync(ct);
            updatedIds.Sort();
            return new ImportOutcome(new ImportReport(rows.Count, inserted, updatedIds.Count, rows.Count - inserted - updatedIds.Count), updatedIds);
        });
    }

    /// <summary>Optimized: each line copied into the staging table as it is read, then one merge.</summary>
    private async Task<ImportOutcome> ImportByCopyAsync(Stream feed, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(CreateStaging, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var rows = 0;
        // Leaving this block without CompleteAsync (a bad line) cancels the COPY; the transaction then rolls back.
        await using (var copy = await connection.BeginBinaryImportAsync(CopyIntoStaging, ct))
        {
            copy.Timeout = BulkTimeout;
            await foreach (var row in ProductImportReader.ReadAsync(feed, ct))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.Sku, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(row.Name, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(row.Category, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(row.PriceMinor, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.IsActive, NpgsqlDbType.Boolean, ct);
                rows++;
            }

            await copy.CompleteAsync(ct);
        }

        await using var merge = new NpgsqlCommand(MergeFromStaging, connection, transaction) { CommandTimeout = (int)BulkTimeout.TotalSeconds };
        await using var result = await merge.ExecuteReaderAsync(ct);
        await result.ReadAsync(ct);
        var (inserted, updatedIds) = ((int)result.GetInt64(0), result.GetFieldValue<long[]>(1));
        await result.CloseAsync();
        await transaction.CommitAsync(ct);
        return new ImportOutcome(new ImportReport(rows, inserted, updatedIds.Length, rows - inserted - updatedIds.Length), updatedIds);
    }
}
