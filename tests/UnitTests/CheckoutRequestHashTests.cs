using PerfReference.OrdersService.Checkout;

namespace PerfReference.UnitTests;

public sealed class CheckoutRequestHashTests
{
    [Fact]
    public void TheOrderOfTheLinesDoesNotMatter() =>
        Assert.Equal(CheckoutRequestHash.Compute(1, [(1, 2), (5, 1)]), CheckoutRequestHash.Compute(1, [(5, 1), (1, 2)]));

    [Theory]
    [InlineData(2L, 1, 2)]
    [InlineData(1L, 1, 3)]
    [InlineData(1L, 2, 2)]
    public void AnyOtherCustomerProductOrQuantityChangesTheHash(long customerId, long productId, int quantity) =>
        Assert.NotEqual(CheckoutRequestHash.Compute(1, [(1, 2)]), CheckoutRequestHash.Compute(customerId, [(productId, quantity)]));
}
