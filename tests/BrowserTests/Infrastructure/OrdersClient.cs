using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace PerfReference.BrowserTests.Infrastructure;

/// <summary>
/// OrdersService's HTTP API as the tests use it. Every request starts a trace whose id the test
/// chose (a W3C traceparent header), so the test can find exactly that trace in the dashboard.
/// </summary>
public sealed class OrdersClient(HttpClient http)
{
    public const string VariantHeader = "X-Perf-Variant";
    public const string EntryHeader = "X-Perf-Entry";
    public const string DbRoundtripsHeader = "X-Perf-Db-Roundtrips";

    public static string NewTraceId() => ActivityTraceId.CreateRandom().ToHexString();

    /// <summary>Up to <paramref name="count"/> distinct product ids, a page (at most 100) at a time.</summary>
    public async Task<IReadOnlyList<long>> ProductIdsAsync(int count, CancellationToken ct)
    {
        var ids = new List<long>();
        for (var page = 1; ids.Count < count; page++)
        {
            var products = await http.GetFromJsonAsync<ProductPage>($"/api/products?page={page}&pageSize=100", Checkouts.Json, ct)
                ?? throw new InvalidOperationException("Empty product page.");
            ids.AddRange(products.Items.Select(p => p.Id));
            if (products.Items.Count < 100)
            {
                break;
            }
        }

        return ids.Take(count).ToArray();
    }

    public async Task<OrderView> PlaceOrderAsync(long customerId, IEnumerable<(long ProductId, int Quantity)> lines, string traceId, CancellationToken ct)
    {
        using var request = Checkouts.Request(customerId, lines);
        Trace(request, traceId);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Checkout answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        return await Checkouts.ReadOrderAsync(response, ct);
    }

    /// <summary>A checkout with a variant choice and a catalog entry; returns the response, whatever it is (the caller judges it).</summary>
    public async Task<HttpResponseMessage> CheckoutAsync(long customerId, IEnumerable<(long ProductId, int Quantity)> lines, string variant, string entry, CancellationToken ct)
    {
        using var request = Checkouts.Request(customerId, lines, Checkouts.NewKey());
        request.Headers.Add(VariantHeader, variant);
        request.Headers.Add(EntryHeader, entry);
        return await http.SendAsync(request, ct);
    }

    public async Task<PaymentsDiagnostics> PaymentsDiagnosticsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<PaymentsDiagnostics>("/api/diagnostics/payments", Checkouts.Json, ct)
            ?? throw new InvalidOperationException("Empty payments diagnostics.");

    /// <summary>Sends a GET with a variant choice and a catalog entry; returns the response (the caller reads its headers).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string variant, string entry, string traceId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(VariantHeader, variant);
        request.Headers.Add(EntryHeader, entry);
        Trace(request, traceId);
        var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return response;
    }

    public static int DbRoundtrips(HttpResponseMessage response) => response.Headers.TryGetValues(DbRoundtripsHeader, out var values)
        ? int.Parse(values.Single())
        : throw new InvalidOperationException($"No {DbRoundtripsHeader} header.");

    /// <summary>Makes the request the child of a (sampled) span of the test, in a trace of the given id.</summary>
    private static void Trace(HttpRequestMessage request, string traceId) =>
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

    private sealed record ProductPage(IReadOnlyList<ProductItem> Items, long TotalCount);

    private sealed record ProductItem(long Id);
}
