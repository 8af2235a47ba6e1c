using PerfReference.OrdersService.Checkout;

namespace PerfReference.UnitTests;

public sealed class CheckoutValidatorTests
{
    private static CheckoutRequest Valid() => new(1, [new CheckoutLine(1, 2), new CheckoutLine(2, 1)]);

    [Fact]
    public void AValidRequestHasNoErrors() => Assert.Empty(CheckoutValidator.Validate(Valid(), "key-1"));

    [Fact]
    public void AMissingBodyIsReportedAsSuch() => Assert.Equal(["body"], CheckoutValidator.Validate(null, null).Keys);

    [Theory]
    [InlineData(null, "customerId")]
    [InlineData(0L, "customerId")]
    [InlineData(-1L, "customerId")]
    public void TheCustomerIdMustBePositive(long? customerId, string field) =>
        Assert.Contains(field, CheckoutValidator.Validate(Valid() with { CustomerId = customerId }, null).Keys);

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(CheckoutValidator.MaxQuantity + 1)]
    public void AQuantityOutOfRangeNamesItsLine(int? quantity)
    {
        var errors = CheckoutValidator.Validate(new CheckoutRequest(1, [new CheckoutLine(1, 1), new CheckoutLine(2, quantity)]), null);

        Assert.Equal(["lines[1].quantity"], errors.Keys);
    }

    [Fact]
    public void AProductOnTwoLinesIsRefused()
    {
        var errors = CheckoutValidator.Validate(new CheckoutRequest(1, [new CheckoutLine(7, 1), new CheckoutLine(7, 2)]), null);

        Assert.Contains("7", Assert.Single(errors["lines"]));
    }

    [Fact]
    public void TooManyLinesAreRefused()
    {
        var lines = Enumerable.Range(1, CheckoutValidator.MaxLines + 1).Select(i => new CheckoutLine(i, 1)).ToArray();

        Assert.Contains("lines", CheckoutValidator.Validate(new CheckoutRequest(1, lines), null).Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nkey")]
    public void AnUnusableIdempotencyKeyIsRefused(string key) =>
        Assert.Contains("Idempotency-Key", CheckoutValidator.Validate(Valid(), key).Keys);

    [Fact]
    public void AnIdempotencyKeyOfTheMaximumLengthIsAccepted() =>
        Assert.Empty(CheckoutValidator.Validate(Valid(), new string('k', CheckoutValidator.MaxIdempotencyKeyLength)));
}
