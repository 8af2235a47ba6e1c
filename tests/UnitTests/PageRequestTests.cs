using PerfReference.OrdersService.Orders;

namespace PerfReference.UnitTests;

public sealed class PageRequestTests
{
    [Fact]
    public void DefaultsToTheFirstPageOfTwenty()
    {
        var (request, errors) = PageRequest.From(null, null);

        Assert.Empty(errors);
        Assert.Equal(new PageRequest(1, PageRequest.DefaultPageSize), request);
        Assert.Equal(0, request.Skip);
    }

    [Fact]
    public void SkipsThePagesBefore() => Assert.Equal(40, PageRequest.From(3, 20).Request.Skip);

    [Theory]
    [InlineData(0, 10, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, PageRequest.MaxPageSize + 1, "pageSize")]
    public void OutOfRangeValuesNameTheParameter(int page, int pageSize, string parameter) =>
        Assert.Equal([parameter], PageRequest.From(page, pageSize).Errors.Keys);

    [Fact]
    public void AListMayAllowLargerPages()
    {
        Assert.Empty(PageRequest.From(1, 200, maxPageSize: 200).Errors);
        Assert.Equal(["pageSize"], PageRequest.From(1, 201, maxPageSize: 200).Errors.Keys);
    }
}
