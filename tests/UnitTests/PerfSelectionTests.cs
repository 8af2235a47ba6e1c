using PerfReference.Performance;

namespace PerfReference.UnitTests;

public sealed class PerfSelectionTests
{
    [Fact]
    public void AnEmptyValueFallsBackToTheConfiguredDefault() =>
        Assert.Equal(PerfVariant.Optimized, PerfSelection.Parse("", PerfVariant.Optimized).Default);

    [Fact]
    public void OverridesWinOverTheDefault()
    {
        var selection = PerfSelection.Parse("optimized, n-plus-one-db=naive", PerfVariant.Naive);

        Assert.False(selection.IsOptimized(PerfCatalog.NPlusOneDb));
        Assert.True(selection.IsOptimized(PerfCatalog.PaymentAsync));
        Assert.Equal("mixed", selection.Label);
        Assert.Equal("optimized, n-plus-one-db=naive", selection.ToString());
    }

    [Fact]
    public void TheLabelIsTheVariantWhenEveryEntryRunsIt() =>
        Assert.Equal("naive", PerfSelection.Parse("NAIVE, compression=naive", PerfVariant.Optimized).Label);

    [Theory]
    [InlineData("naive, n-plus-one-db=optimized", "n-plus-one-db", "optimized")]
    [InlineData("naive, n-plus-one-db=optimized", "compression", "naive")]
    [InlineData("naive, n-plus-one-db=optimized", "seed-checkout", "mixed")]
    [InlineData("optimized", null, "optimized")]
    [InlineData("optimized", "ceiling", "optimized")]
    public void AMeasuredEntryIsReportedWithItsOwnVariant(string header, string? entry, string expected) =>
        Assert.Equal(expected, new PerfRequest(PerfSelection.Parse(header, PerfVariant.Naive), entry).VariantLabel);

    [Fact]
    public void RoundTripsThroughItsHeaderValue()
    {
        var selection = PerfSelection.Parse("naive, payment-async=optimized, compression=optimized", PerfVariant.Naive);

        Assert.Equal(selection.ToString(), PerfSelection.Parse(selection.ToString(), PerfVariant.Optimized).ToString());
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("naive, nope=optimized")]
    [InlineData("n-plus-one-db=quick")]
    [InlineData("naive, optimized")]
    public void WhatCannotBeHonouredIsRefused(string value) =>
        Assert.Throws<PerfSelectionException>(() => PerfSelection.Parse(value, PerfVariant.Naive));

    [Fact]
    public void AnEntryThatIsListedButNotBuiltIsRefusedAndSaysSo()
    {
        PerfEntry[] catalog = [PerfCatalog.NPlusOneDb, new("future-entry", "Future", "naive", "optimized", "metric")];

        var error = Assert.Throws<PerfSelectionException>(() => PerfCatalog.RequireBuilt("future-entry", catalog));
        Assert.Contains("not built yet", error.Message);
        Assert.Contains(PerfCatalog.NPlusOneDb.Id, error.Message); // it names what can be chosen
        Assert.Same(PerfCatalog.NPlusOneDb, PerfCatalog.RequireBuilt(PerfCatalog.NPlusOneDb.Id, catalog));
    }

    [Fact]
    public void EveryEntryTheSwitchAcceptsIsBuilt() =>
        Assert.All(PerfCatalog.All, entry => Assert.Equal(entry.IsBuilt, Record.Exception(() => PerfSelection.Parse($"naive, {entry.Id}=optimized", PerfVariant.Naive)) is null));

    [Fact]
    public void EveryCatalogIdIsUniqueAndKebabCase()
    {
        Assert.Equal(PerfCatalog.All.Count, PerfCatalog.All.Select(e => e.Id).Distinct().Count());
        Assert.All(PerfCatalog.All, entry => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", entry.Id));
    }
}
