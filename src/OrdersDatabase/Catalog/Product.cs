namespace PerfReference.OrdersDatabase.Catalog;

public sealed class Product
{
    public long Id { get; set; }

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public required string Category { get; set; }

    /// <summary>Unit price in minor units (cents) of <see cref="OrdersDbContext.Currency"/>.</summary>
    public long PriceMinor { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>Units that can still be reserved (the <c>lock-contention</c> entry reserves them); never below zero.</summary>
    public int Stock { get; set; }
}
