namespace PerfReference.OrdersDatabase.Seeding;

/// <summary>
/// How much data the seeder loads. Orders have 1 to 9 lines (5 on average). Even the tiny size has
/// more than 200 products, so a 200-line checkout of distinct products (the seed lesson's N+1) fits.
/// </summary>
public sealed record SeedSize(string Name, int Customers, int Products, int Orders)
{
    public static readonly SeedSize Tiny = new("tiny", Customers: 100, Products: 250, Orders: 300);
    public static readonly SeedSize Small = new("small", Customers: 10_000, Products: 1_000, Orders: 100_000);
    public static readonly SeedSize Default = new("default", Customers: 100_000, Products: 10_000, Orders: 1_000_000);

    public static IReadOnlyList<SeedSize> All { get; } = [Tiny, Small, Default];

    public static SeedSize Parse(string name) =>
        All.FirstOrDefault(size => string.Equals(size.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown seed size '{name}'; use one of: {string.Join(", ", All.Select(s => s.Name))}.");
}
