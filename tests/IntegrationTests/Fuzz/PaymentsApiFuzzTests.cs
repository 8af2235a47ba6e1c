using System.Collections.Concurrent;
using CsCheck;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.Payments.V1;

namespace PerfReference.IntegrationTests.Fuzz;

/// <summary>
/// Two thousand generated calls that no valid merchant makes, against the payment provider's gRPC
/// API: each is refused with a status that says the caller's mistake (InvalidArgument, NotFound,
/// FailedPrecondition) and a detail — never Internal or Unknown — and no payment is created.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class PaymentsApiFuzzTests(TopologyFixture topology)
{
    private const int Calls = 2_000;

    private static readonly Gen<string> BadKey = Gen.OneOf(Gen.Const(""), Gen.Const("   "), Gen.Char['a', 'z'].Array[129, 300].Select(c => new string(c)));
    private static readonly Gen<string> AnyKey = Gen.OneOf(BadKey, Gen.Guid.Select(g => $"fuzz-{g:N}"));
    private static readonly Gen<string> UnknownPayment = Gen.OneOf(Gen.Const(""), Gen.Guid.Select(g => $"pay_{g:N}"), Gen.String[1, 50]);

    /// <summary>Authorisations that cannot be valid: an amount out of range, a currency that is not a code, no customer, or a bad key.</summary>
    private static readonly Gen<AuthorizeRequest> BadAuthorize = Gen.OneOf(
        Gen.Select(AnyKey, Gen.Long[long.MinValue, 0], (key, amount) => new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "c", AmountMinor = amount, Currency = "EUR" }),
        Gen.Select(AnyKey, Gen.Long[10_000_000_001, long.MaxValue], (key, amount) => new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "c", AmountMinor = amount, Currency = "EUR" }),
        Gen.Select(AnyKey, Gen.String[0, 6].Where(c => c.Length != 3 || !c.All(char.IsAsciiLetterUpper)), (key, currency) =>
            new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "c", AmountMinor = 100, Currency = currency }),
        AnyKey.Select(key => new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "", AmountMinor = 100, Currency = "EUR" }),
        BadKey.Select(key => new AuthorizeRequest { IdempotencyKey = key, CustomerReference = "c", AmountMinor = 100, Currency = "EUR" }));

    private static readonly Gen<BadCall> BadCalls = Gen.OneOf(
        BadAuthorize.Select(request => new BadCall($"Authorize {request}", (client, ct) => client.AuthorizeAsync(request, cancellationToken: ct).ResponseAsync)),
        Gen.Select(UnknownPayment, AnyKey, (id, key) => new BadCall($"Capture {id} with '{key}'",
            (client, ct) => client.CaptureAsync(new CaptureRequest { PaymentId = id, IdempotencyKey = key }, cancellationToken: ct).ResponseAsync)),
        Gen.Select(UnknownPayment, AnyKey, Gen.Long, (id, key, amount) => new BadCall($"Refund {amount} of {id} with '{key}'",
            (client, ct) => client.RefundAsync(new RefundRequest { PaymentId = id, IdempotencyKey = key, AmountMinor = amount }, cancellationToken: ct).ResponseAsync)),
        Gen.Select(UnknownPayment, AnyKey, (id, key) => new BadCall($"Void {id} with '{key}'",
            (client, ct) => client.VoidAsync(new VoidAuthorizationRequest { PaymentId = id, IdempotencyKey = key }, cancellationToken: ct).ResponseAsync)),
        UnknownPayment.Select(id => new BadCall($"GetPayment {id}",
            (client, ct) => client.GetPaymentAsync(new GetPaymentRequest { PaymentId = id }, cancellationToken: ct).ResponseAsync)),
        Gen.Select(Gen.Int.Where(n => n is < 0 or > 1_000), Gen.String[0, 20], (size, token) => new BadCall($"ListPayments page size {size}, token '{token}'",
            (client, ct) => client.ListPaymentsAsync(new ListPaymentsRequest { PageSize = size, PageToken = token }, cancellationToken: ct).ResponseAsync)),
        Gen.Int[1, 1_000].Select(size => new BadCall($"ListPayments of a window that ends before it starts ({size})",
            (client, ct) => client.ListPaymentsAsync(new ListPaymentsRequest
            {
                PageSize = size,
                CreatedFrom = Timestamp.FromDateTime(DateTime.UtcNow),
                CreatedBefore = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-1)),
            }, cancellationToken: ct).ResponseAsync)));

    [Fact]
    public async Task GeneratedBadCallsAreRefusedAsTheCallersMistakeAndCreateNoPayment()
    {
        var ct = TestContext.Current.CancellationToken;
        var since = Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1));
        var statuses = new ConcurrentDictionary<StatusCode, int>();

        await BadCalls.SampleAsync(async call =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.Invoke(topology.Payments, ct));
            statuses.AddOrUpdate(error.StatusCode, 1, (_, n) => n + 1);
            Assert.True(error.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition,
                $"{call.Description} → {error.StatusCode}: {error.Status.Detail}");
            Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        }, iter: Calls, threads: 4, seed: null);

        Assert.Equal(Calls, statuses.Values.Sum());
        var created = await topology.Payments.ListPaymentsAsync(new ListPaymentsRequest { CreatedFrom = since }, cancellationToken: ct);
        Assert.DoesNotContain(created.Payments, p => p.AuthorizationKey.StartsWith("fuzz-", StringComparison.Ordinal) || p.CustomerReference == "c");
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
    }

    /// <summary>A call to the provider, described for the failure message.</summary>
    public sealed record BadCall(string Description, Func<PaymentProvider.PaymentProviderClient, CancellationToken, Task> Invoke)
    {
        public override string ToString() => Description;
    }
}
