using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.TestSupport;

/// <summary>Builds checkout requests and reads the orders API's answers.</summary>
public static class Checkouts
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The largest checkout body the orders API reads (its <c>OrdersApi.MaxCheckoutBodyBytes</c>); a larger one is refused with 413.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static HttpRequestMessage Request(long customerId, IEnumerable<(long ProductId, int Quantity)> lines, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new
            {
                customerId,
                lines = lines.Select(line => new { productId = line.ProductId, quantity = line.Quantity }),
            }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static string NewKey() => $"test-{Guid.NewGuid():N}";

    /// <summary>
    /// The key a checkout's payment carries to the provider and into its record: "checkout:" and the
    /// SHA-256 of the client's Idempotency-Key (so a key of any accepted length fits the provider's limit).
    /// </summary>
    public static string PaymentKeyOf(string idempotencyKey) =>
        $"checkout:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey)))}";

    /// <summary>The order a checkout placed; any other answer fails the test with the problem the API gave.</summary>
    public static async Task<OrderView> ReadPlacedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created,
            $"Expected 201 Created, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return await ReadOrderAsync(response, ct);
    }

    public static async Task<OrderView> ReadOrderAsync(HttpResponseMessage response, CancellationToken ct) =>
        await response.Content.ReadFromJsonAsync<OrderView>(Json, ct) ?? throw new InvalidOperationException("Empty order body.");
}

public sealed record OrderView(long Id, long CustomerId, string Status, string Currency, long SubtotalMinor, long DiscountMinor, long TotalMinor,
    IReadOnlyList<OrderLineView> Lines, PaymentView? Payment);

public sealed record OrderLineView(long ProductId, string Sku, int Quantity, long UnitPriceMinor, long LineTotalMinor);

public sealed record PaymentView(string Status, string? ProviderPaymentId, long AmountMinor);

public sealed record CustomerView(long CustomerId, string Name, string Tier, int LoyaltyPoints, int OrderCount, DateTimeOffset? LastOrderAt, int DiscountPercent);

/// <summary>GET /api/diagnostics/payments: the payments circuit ("closed", "open", "half-open"; its gauge's 0, 1, 2) and the payments still to settle.</summary>
public sealed record PaymentsDiagnostics(string Circuit, int CircuitState, int OutstandingPayments);
