using PerfReference.OrdersService.Customers;

namespace PerfReference.UnitTests;

public sealed class CustomerIdListTests
{
    [Fact]
    public void ReadsCommaSeparatedIdsInTheOrderGiven()
    {
        var (ids, errors) = CustomerIdList.Parse(" 3, 1 ,2");

        Assert.Empty(errors);
        Assert.Equal([3L, 1L, 2L], ids);
    }

    [Fact]
    public void AcceptsTheMaximumNumberOfIds() =>
        Assert.Empty(CustomerIdList.Parse(string.Join(',', Enumerable.Range(1, CustomerIdList.MaxIds))).Errors);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("1,x,3", "'x'")]
    [InlineData("1,,3", "''")]
    [InlineData("0", "'0'")]
    [InlineData("-4", "'-4'")]
    [InlineData("1,2,1", "repeated: 1")]
    public void BadIdsAreNamed(string? text, string reason)
    {
        var (ids, errors) = CustomerIdList.Parse(text);

        Assert.Empty(ids);
        Assert.Contains(reason, Assert.Single(errors["ids"]));
    }

    [Fact]
    public void RefusesMoreThanTheMaximum() =>
        Assert.Contains("At most 100", CustomerIdList.Parse(string.Join(',', Enumerable.Range(1, CustomerIdList.MaxIds + 1))).Errors["ids"][0]);
}
