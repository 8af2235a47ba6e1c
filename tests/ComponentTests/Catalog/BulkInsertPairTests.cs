using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Products.Import;
using PerfReference.Performance;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// bulk-insert: a product feed imported row by row through EF (one INSERT statement and round trip per new row, one
/// UPDATE per changed one) naive, and by COPY into a staging table plus one merge optimized — the same report and the same
/// rows either way, and a bad line leaves nothing of the import behind in both.
/// </summary>
public sealed class BulkInsertPairTests(OrdersDatabaseFixture database)
{
    private const int Rows = 1_000;

    [Fact]
    public async Task BothVariantsImportAFeedAlikeWithARoundTripPerRowNaiveAndOneMergeOptimized()
    {
        var ct = TestContext.Current.CancellationToken;
        var (naivePrefix, optimizedPrefix) = (Prefix(), Prefix());

        var (naive, naiveCounters, naiveSql) = await SqlTrace.RunAsync(() => ImportAsync(FixedPerfSwitch.AllNaive, Feed(naivePrefix, Rows), ct));
        var (optimized, optimizedCounters, optimizedSql) = await SqlTrace.RunAsync(() => ImportAsync(Optimized, Feed(optimizedPrefix, Rows), ct));

        Assert.Equal(new ImportReport(Rows, Rows, 0, 0), naive.Report);
        Assert.Equal(new ImportReport(Rows, Rows, 0, 0), optimized.Report);
        Assert.Equal(await StoredAsync(naivePrefix, ct), await StoredAsync(optimizedPrefix, ct));
        Assert.Equal(Rows, SqlTrace.Count(naiveSql, "INSERT INTO products"));
        Assert.Equal(1, SqlTrace.Count(optimizedSql, "INSERT INTO products"));
        Assert.Equal(1, SqlTrace.Count(optimizedSql, "COPY product_import"));
        // Naive: the SKU lookup, then three round trips per row — EF wraps each SaveChanges inside the import's
        // transaction in a savepoint: SAVEPOINT, the INSERT, RELEASE. Optimized: the staging table, the COPY and the
        // merge, whatever the feed's size (the commit is not a command).
        Assert.Equal(1 + 3 * Rows, naiveCounters.DbRoundtrips);
        Assert.Equal(3, optimizedCounters.DbRoundtrips);
    }

    [Fact]
    public async Task AKnownSkuIsUpdatedOnlyWhenItChangedInBothVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, Optimized })
        {
            var prefix = Prefix();
            await ImportAsync(perf, Feed(prefix, 100), ct);

            // The same feed again, with every tenth price changed and ten new SKUs at the end.
            var (report, _, sql) = await SqlTrace.RunAsync(() => ImportAsync(perf, Feed(prefix, 110, priceChangeEvery: 10), ct));

            Assert.Equal(new ImportReport(110, 10, 10, 90), report.Report);
            Assert.Equal(10, report.UpdatedIds.Count);
            Assert.Equal(110, (await StoredAsync(prefix, ct)).Count);
            if (perf == FixedPerfSwitch.AllNaive)
            {
                Assert.Equal(10, SqlTrace.Count(sql, "UPDATE products"));
            }
        }
    }

    [Theory]
    [InlineData(1_500, "{\"sku\":\"X\",\"name\":\"N\",\"category\":\"c\",\"priceMinor\":\"12\"}", "not a product object")]
    [InlineData(3, "{\"sku\":\"X\",\"name\":\"N\",\"category\":\"c\",\"priceMinor\":0}", "priceMinor must be a positive number of cents.")]
    [InlineData(800, "{\"sku\":\"X\",\"name\":\"N\",\"category\":\"c\",\"priceMinor\":5,\"colour\":\"red\"}", "not a product object")]
    [InlineData(2, "{\"sku\":\"X\",\"category\":\"c\",\"priceMinor\":5}", "name is required.")]
    [InlineData(1_000, "", "the line is empty")]
    [InlineData(10, "[1,2]", "not a product object")]
    public async Task ABadLineIsNamedAndNothingOfTheImportIsWrittenInEitherVariant(int goodLinesBefore, string badLine, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, Optimized })
        {
            var prefix = Prefix();
            var feed = Feed(prefix, goodLinesBefore) + badLine + "\n" + Feed(prefix + "after-", 5);

            var error = await Assert.ThrowsAsync<ProductImportException>(() => ImportAsync(perf, feed, ct));

            Assert.Equal(goodLinesBefore + 1, error.Line);
            Assert.Contains(reason, error.Reason);
            Assert.StartsWith($"Line {goodLinesBefore + 1}: ", error.Message);
            Assert.Empty(await StoredAsync(prefix, ct));
        }
    }

    [Fact]
    public async Task ARepeatedSkuNamesBothLinesAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, Optimized })
        {
            var prefix = Prefix();
            var feed = Feed(prefix, 50) + Feed(prefix, 1);

            var error = await Assert.ThrowsAsync<ProductImportException>(() => ImportAsync(perf, feed, ct));

            Assert.Equal($"Line 51: sku '{prefix}00000' is already on line 1.", error.Message);
            Assert.Empty(await StoredAsync(prefix, ct));
        }
    }

    [Fact]
    public async Task AnEmptyFeedIsRefusedByBothVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var perf in new[] { FixedPerfSwitch.AllNaive, Optimized })
        {
            var error = await Assert.ThrowsAsync<ProductImportException>(() => ImportAsync(perf, "", ct));
            Assert.Equal(0, error.Line);
        }
    }

    private static readonly IPerfSwitch Optimized = FixedPerfSwitch.OnlyOptimized(PerfCatalog.BulkInsert);

    private static string Prefix() => $"CT-{Guid.NewGuid():N}"[..15] + "-";

    /// <summary>Products of a feed: SKUs prefix00000…, prices from the line number (changed on every nth line when asked).</summary>
    private static string Feed(string prefix, int rows, int priceChangeEvery = 0)
    {
        var feed = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var price = 100 + i + (priceChangeEvery > 0 && i % priceChangeEvery == 0 ? 1 : 0);
            feed.Append($"{{\"sku\":\"{prefix}{i:D5}\",\"name\":\"Imported product {i}\",\"category\":\"import\",\"priceMinor\":{price},\"isActive\":{(i % 7 == 0 ? "false" : "true")}}}\n");
        }

        return feed.ToString();
    }

    private async Task<ImportOutcome> ImportAsync(IPerfSwitch perf, string feed, CancellationToken ct)
    {
        await using var db = database.NewContext();
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(feed));
        return await new ProductImporter(db, database.DataSource, perf).ImportAsync(body, ct);
    }

    /// <summary>The stored products of a feed, without the prefix that tells the two variants' imports apart (ids excluded: each import gets its own).</summary>
    private async Task<List<string>> StoredAsync(string prefix, CancellationToken ct)
    {
        await using var db = database.NewContext();
        return await db.Products.AsNoTracking()
            .Where(p => p.Sku.StartsWith(prefix))
            .OrderBy(p => p.Id)
            .Select(p => p.Sku.Substring(prefix.Length) + "|" + p.Name + "|" + p.Category + "|" + p.PriceMinor + "|" + p.IsActive)
            .ToListAsync(ct);
    }
}
