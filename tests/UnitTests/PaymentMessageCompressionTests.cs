using System.IO.Compression;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;

namespace PerfReference.UnitTests;

/// <summary>
/// Why the compression entry leaves gRPC uncompressed: the payment messages, as the checkout and the
/// worker send and receive them, come out of gzip (gRPC's only built-in codec) larger than they went
/// in, at either level. Their ids are random hex, which does not compress, and gzip adds its own
/// header and trailer to every message.
/// </summary>
public sealed class PaymentMessageCompressionTests
{
    private const string CheckoutKey = "checkout:3f6c1d9e8b7a45c2a1e0f9d8c7b6a5e4";
    private const string PaymentId = "pay_01a2144004427265948c9d5efcdbfdae";

    public static TheoryData<string, IMessage> Messages => new()
    {
        { "authorize request", new AuthorizeRequest { IdempotencyKey = CheckoutKey, CustomerReference = "customer-15", AmountMinor = 10_768, Currency = "EUR" } },
        { "capture request", new CaptureRequest { PaymentId = PaymentId, IdempotencyKey = PaymentGateway.CaptureKey(CheckoutKey) } },
        {
            "captured payment", new Payment
            {
                PaymentId = PaymentId, Status = PaymentStatus.Captured, CustomerReference = "customer-15", AmountMinor = 10_768,
                Currency = "EUR", CapturedMinor = 10_768, CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 25, 19, 47, 49, TimeSpan.Zero)),
            }
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void APaymentMessageGrowsWhenGzipped(string message, IMessage proto)
    {
        var plain = proto.ToByteArray();

        Assert.InRange(plain.Length, 20, 120);
        Assert.True(Gzipped(plain, CompressionLevel.Fastest) > plain.Length, $"{message}: {plain.Length} bytes");
        Assert.True(Gzipped(plain, CompressionLevel.Optimal) > plain.Length, $"{message}: {plain.Length} bytes");
    }

    private static int Gzipped(byte[] data, CompressionLevel level)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, level, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return (int)compressed.Length;
    }
}
