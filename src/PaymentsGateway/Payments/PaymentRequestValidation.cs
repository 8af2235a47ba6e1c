using System.Text.RegularExpressions;
using Grpc.Core;
using PerfReference.Payments.V1;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>A client's mistake is answered with InvalidArgument and a detail that names the field, never with an internal error.</summary>
public static partial class PaymentRequestValidation
{
    private const int MaxKeyLength = 128;
    private const long MaxAmountMinor = 100_000_000_00; // a hundred million in major units
    private const int MaxPageSize = 1_000;
    private const int DefaultPageSize = 100;

    public static void Validate(AuthorizeRequest request)
    {
        RequireKey(request.IdempotencyKey);
        if (string.IsNullOrWhiteSpace(request.CustomerReference))
        {
            throw Invalid("customer_reference is required.");
        }

        if (request.AmountMinor is <= 0 or > MaxAmountMinor)
        {
            throw Invalid($"amount_minor must be between 1 and {MaxAmountMinor}; it was {request.AmountMinor}.");
        }

        if (!CurrencyCode().IsMatch(request.Currency))
        {
            throw Invalid($"currency must be an ISO 4217 code such as EUR; it was '{request.Currency}'.");
        }
    }

    public static void Validate(CaptureRequest request)
    {
        RequirePaymentId(request.PaymentId);
        RequireKey(request.IdempotencyKey);
    }

    public static void Validate(RefundRequest request)
    {
        RequirePaymentId(request.PaymentId);
        RequireKey(request.IdempotencyKey);
        if (request.AmountMinor <= 0)
        {
            throw Invalid($"amount_minor must be positive; it was {request.AmountMinor}.");
        }
    }

    public static void Validate(VoidAuthorizationRequest request)
    {
        RequirePaymentId(request.PaymentId);
        RequireKey(request.IdempotencyKey);
    }

    /// <summary>The window (a missing end is "now", a missing start the beginning), the page size and the page's offset.</summary>
    public static (DateTimeOffset From, DateTimeOffset Before, int PageSize, long Offset) Validate(ListPaymentsRequest request)
    {
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            throw Invalid($"page_size must be between 1 and {MaxPageSize} (0 for {DefaultPageSize}); it was {request.PageSize}.");
        }

        if (!Enum.IsDefined(request.Status))
        {
            throw Invalid($"status {(int)request.Status} is not a payment status.");
        }

        long offset = 0;
        if (request.PageToken.Length > 0 && !(long.TryParse(request.PageToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) && offset >= 0))
        {
            throw Invalid("page_token is not a token this service gave out.");
        }

        var from = request.CreatedFrom?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
        var before = request.CreatedBefore?.ToDateTimeOffset() ?? DateTimeOffset.MaxValue;
        if (before < from)
        {
            throw Invalid("created_before must not come before created_from.");
        }

        return (from, before, request.PageSize == 0 ? DefaultPageSize : request.PageSize, offset);
    }

    public static void RequirePaymentId(string paymentId)
    {
        if (string.IsNullOrWhiteSpace(paymentId))
        {
            throw Invalid("payment_id is required.");
        }
    }

    private static void RequireKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
        {
            throw Invalid($"idempotency_key is required and at most {MaxKeyLength} characters.");
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
