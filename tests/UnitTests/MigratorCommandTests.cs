using PerfReference.DatabaseMigrator;
using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.UnitTests;

public sealed class MigratorCommandTests
{
    [Fact]
    public void WithoutACommandItMigratesAndSeedsTheConfiguredSize()
    {
        var command = MigratorCommand.Parse([]);

        Assert.Null(command.Seed);
        Assert.True(command.SeedFromConfiguration);
    }

    [Fact]
    public void SeedDefaultsToTheDefaultSize() => Assert.Equal(SeedSize.Default, MigratorCommand.Parse(["seed"]).Seed);

    [Fact]
    public void SeedTakesASizeAndAConnection()
    {
        var command = MigratorCommand.Parse(["seed", "--size", "TINY", "--connection", "Host=db"]);

        Assert.Equal(SeedSize.Tiny, command.Seed);
        Assert.Equal(["--ConnectionStrings:ordersdb=Host=db"], command.HostArgs);
    }

    [Fact]
    public void MigrateOnlySeedsNothing()
    {
        var command = MigratorCommand.Parse(["migrate"]);

        Assert.Null(command.Seed);
        Assert.False(command.SeedFromConfiguration);
    }

    [Fact]
    public void MigrateTakesATargetMigration() =>
        Assert.Equal("OrderIdsHiLo", MigratorCommand.Parse(["migrate", "--to", "OrderIdsHiLo"]).TargetMigration);

    [Theory]
    [InlineData(new[] { "seed", "--to", "OrderIdsHiLo" }, "--to belongs to the migrate command")]
    [InlineData(new[] { "seed", "--size", "huge" }, "huge")]
    [InlineData(new[] { "seed", "--size" }, "--size needs a value")]
    [InlineData(new[] { "migrate", "--size", "tiny" }, "--size belongs to the seed command")]
    [InlineData(new[] { "drop-everything" }, "Unexpected argument 'drop-everything'")]
    public void BadArgumentsAreRefusedWithTheReason(string[] args, string reason) =>
        Assert.Contains(reason, Assert.Throws<UsageException>(() => MigratorCommand.Parse(args)).Problem);

    [Fact]
    public void HelpIsNotAnError() => Assert.Null(Assert.Throws<UsageException>(() => MigratorCommand.Parse(["--help"])).Problem);
}
