namespace PerfReference.OrdersService.Products.Import;

/// <summary>One valid line of an import: a product as the supplier's feed describes it, and the line it came from.</summary>
public sealed record ProductImportRow(int Line, string Sku, string Name, string Category, long PriceMinor, bool IsActive);

/// <summary>What an import did: every row is inserted (a new SKU), updated (a known SKU whose fields changed) or left as it was.</summary>
public sealed record ImportReport(int Rows, int Inserted, int Updated, int Unchanged);

/// <summary>The import's report, and the products it updated (their cached copies are now stale).</summary>
public sealed record ImportOutcome(ImportReport Report, IReadOnlyList<long> UpdatedIds);

/// <summary>A line of the import that cannot be imported: which one and why. Nothing of the import is written.</summary>
public sealed class ProductImportException(int line, string reason)
    : Exception(line > 0 ? $"Line {line}: {reason}" : reason)
{
    /// <summary>The 1-based line number, 0 when the problem is the import as a whole.</summary>
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
