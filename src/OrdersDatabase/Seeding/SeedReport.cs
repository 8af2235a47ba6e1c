namespace PerfReference.OrdersDatabase.Seeding;

/// <summary>Progress of one table while the seeder loads it.</summary>
public sealed record SeedTableProgress(string Table, long RowsWritten, long RowsPlanned);

/// <summary>What a seeding run did: rows added per table, and how long it took.</summary>
public sealed record SeedReport(SeedSize Size, IReadOnlyDictionary<string, long> RowsAdded, TimeSpan Elapsed)
{
    public long TotalRows => RowsAdded.Values.Sum();

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? TotalRows / Elapsed.TotalSeconds : 0;
}
