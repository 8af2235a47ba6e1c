using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Payments;
using PerfReference.Performance;
using Polly;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// payment-async and payment-deferred, the checkout's payment component: which calls each mode
/// makes on the request path, how, and what outbox entry it leaves for the payment worker.
/// </summary>
public sealed class PaymentModesTests(OrdersDatabaseFixture database)
{
    private static readonly PaymentWorkerOptions Worker = new();
    private readonly FakePaymentProvider _provider = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));

    [Theory]
    [InlineData("naive", CheckoutPaymentMode.Blocking)]
    [InlineData("naive, payment-async=optimized", CheckoutPaymentMode.Resilient)]
    [InlineData("naive, payment-deferred=optimized", CheckoutPaymentMode.Deferred)]
    [InlineData("optimized", CheckoutPaymentMode.Deferred)]
    public void TheTwoEntriesChooseOneOfThreeModes(string selection, CheckoutPaymentMode mode) =>
        Assert.Equal(mode, Payment(selection).Mode);

    [Fact]
    public async Task BlockingAuthorisesThenCapturesInlineEachAsABlockingCall()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = Payment("naive");

        var authorization = await payment.AuthorizeAsync("checkout:blocking", 1, 1_000, ct);
        var (order, record) = await StoreAsync(payment, authorization, ct);
        Assert.Equal(["Authorize (blocking)"], _provider.Calls);
        Assert.Equal(_clock.GetUtcNow() + Worker.InlineCaptureGrace, record.NextAttemptAt); // the worker waits while the checkout captures

        await payment.FinishAsync(authorization, order, record, loyaltyCredited: true, ct);

        Assert.Equal(["Authorize (blocking)", "Capture (blocking)"], _provider.Calls);
        Assert.Equal((OrderStatus.Paid, PaymentRecordStatus.Captured, null), (order.Status, record.Status, record.NextAttemptAt));
        Assert.Equal($"{(int)OrderStatus.Paid}|{(int)PaymentRecordStatus.Captured}", await StatusesAsync(order.Id, ct));
    }

    [Fact]
    public async Task ABlockingCheckoutThatCouldNotCreditTheCustomerLeavesItsEntryDueForTheWorker()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = Payment("naive");

        var authorization = await payment.AuthorizeAsync("checkout:blocking-uncredited", 1, 1_000, ct);
        var (order, record) = await StoreAsync(payment, authorization, ct);
        await payment.FinishAsync(authorization, order, record, loyaltyCredited: false, ct);

        // Captured, and due at once: the worker credits the loyalty the checkout could not.
        Assert.Equal((PaymentRecordStatus.Captured, _clock.GetUtcNow()), (record.Status, record.NextAttemptAt));
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, await NextAttemptAsync(record.Id, ct));
    }

    [Fact]
    public async Task ResilientAuthorisesAsynchronouslyAndLeavesTheCaptureToTheWorker()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = Payment("naive, payment-async=optimized");

        var authorization = await payment.AuthorizeAsync("checkout:resilient", 1, 1_000, ct);
        var (order, record) = await StoreAsync(payment, authorization, ct);
        await payment.FinishAsync(authorization, order, record, loyaltyCredited: true, ct);

        Assert.Equal(["Authorize"], _provider.Calls);
        Assert.Equal((PaymentRecordStatus.Authorized, 1, _clock.GetUtcNow()), (record.Status, record.Attempts, record.NextAttemptAt));
        Assert.Equal($"{(int)OrderStatus.Placed}|{(int)PaymentRecordStatus.Authorized}", await StatusesAsync(order.Id, ct));
    }

    [Fact]
    public async Task DeferredCallsNothingAndLeavesAPendingPaymentWithNoAttemptMade()
    {
        var ct = TestContext.Current.CancellationToken;
        var payment = Payment("naive, payment-deferred=optimized");

        var authorization = await payment.AuthorizeAsync("checkout:deferred", 1, 1_000, ct);
        var (order, record) = await StoreAsync(payment, authorization, ct);
        await payment.FinishAsync(authorization, order, record, loyaltyCredited: true, ct);

        Assert.Empty(_provider.Calls);
        Assert.Equal((PaymentRecordStatus.Pending, 0, _clock.GetUtcNow()), (record.Status, record.Attempts, record.NextAttemptAt));
    }

    [Fact]
    public async Task WhenTheProviderIsUnavailableBlockingRefusesWith503AndResilientTakesTheOrderPending()
    {
        var ct = TestContext.Current.CancellationToken;
        _provider.FailWith = StatusCode.Unavailable;

        var blocking = await Payment("naive").AuthorizeAsync("checkout:down-1", 1, 1_000, ct);
        var resilient = await Payment("naive, payment-async=optimized").AuthorizeAsync("checkout:down-2", 1, 1_000, ct);

        Assert.Equal(503, blocking.Refusal?.StatusCode);
        Assert.NotNull(blocking.Refusal?.RetryAfter);
        Assert.Equal((false, null), (resilient.IsAuthorized, resilient.Refusal));
    }

    /// <summary>
    /// Only the provider's explicit no is final (502 in both modes). A call that broke without an answer — a stream reset
    /// mid-call (Internal), one the server or a proxy cancelled (Cancelled), Unknown — may have gone through: the naive
    /// checkout asks the client to retry with its key (503), the resilient one takes the order pending for the worker.
    /// </summary>
    [Theory]
    [InlineData(StatusCode.FailedPrecondition, 502, 502)]
    [InlineData(StatusCode.InvalidArgument, 502, 502)]
    [InlineData(StatusCode.Internal, 503, null)]
    [InlineData(StatusCode.Cancelled, 503, null)]
    [InlineData(StatusCode.Unknown, 503, null)]
    public async Task OnlyAnExplicitNoIsARefusal(StatusCode status, int blockingAnswer, int? resilientAnswer)
    {
        var ct = TestContext.Current.CancellationToken;
        _provider.FailWith = status;

        var blocking = await Payment("naive").AuthorizeAsync("checkout:failed-1", 1, 1_000, ct);
        var resilient = await Payment("naive, payment-async=optimized").AuthorizeAsync("checkout:failed-2", 1, 1_000, ct);

        Assert.Equal(blockingAnswer, blocking.Refusal?.StatusCode);
        Assert.Equal(blockingAnswer == 503, blocking.Refusal?.RetryAfter is not null);
        Assert.Equal((false, resilientAnswer), (resilient.IsAuthorized, resilient.Refusal?.StatusCode));
    }

    private CheckoutPayment Payment(string selection)
    {
        var perf = new FixedPerfSwitch(PerfSelection.Parse(selection, PerfVariant.Naive));
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var gateway = new PaymentGateway(_provider.Client, ResiliencePipeline.Empty, new PaymentCircuit(meters), Options.Create(new PaymentGatewayOptions()), _clock);
        return new CheckoutPayment(gateway, new OrderWriter(database.NewContext(), perf), perf, Options.Create(Worker), _clock, NullLogger<CheckoutPayment>.Instance);
    }

    /// <summary>The order as the checkout stores it, with the payment record the component makes.</summary>
    private async Task<(Order Order, PaymentRecord Record)> StoreAsync(CheckoutPayment payment, CheckoutAuthorization authorization, CancellationToken ct)
    {
        var order = new Order
        {
            CustomerId = 1,
            Status = authorization.IsAuthorized ? OrderStatus.Placed : OrderStatus.PendingPayment,
            SubtotalMinor = 1_000,
            TotalMinor = 1_000,
            CreatedAt = _clock.GetUtcNow(),
            Lines = [new OrderLine { ProductId = 1, Quantity = 1, UnitPriceMinor = 1_000, LineTotalMinor = 1_000 }],
        };
        var record = payment.NewRecord(authorization, order, $"checkout:{Guid.NewGuid():N}", _clock.GetUtcNow());
        await using var db = database.NewContext();
        await new OrderWriter(db, FixedPerfSwitch.AllOptimized).InsertAsync(order, record, ct);
        return (order, record);
    }

    private async Task<DateTime?> NextAttemptAsync(long paymentId, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT next_attempt_at FROM payments WHERE id = $1");
        command.Parameters.Add(new() { Value = paymentId });
        return await command.ExecuteScalarAsync(ct) as DateTime?;
    }

    private async Task<string> StatusesAsync(long orderId, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT o.status || '|' || p.status FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1");
        command.Parameters.Add(new() { Value = orderId });
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
