namespace PerfReference.OrdersDatabase.Seeding;

/// <summary>How many generated rows the seeder has loaded into a table, so a later run adds only what is missing.</summary>
public sealed class SeedProgress
{
    public required string TableName { get; set; }

    public long Rows { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
