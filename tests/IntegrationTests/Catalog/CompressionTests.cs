using System.IO.Compression;
using System.Net;
using System.Text;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Performance;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>compression</c>: JSON goes out as it is (naive) or Brotli/gzip-compressed (optimized); the bytes on the wire
/// are counted raw, with no decompression in the client. The payload where bandwidth decides is the lab's: a
/// customer's statement of about 95 kB as the naive serialization writes it, prepared by the lab's own setup.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class CompressionTests(TopologyFixture topology) : IDisposable
{
    private static readonly string Entry = PerfCatalog.Compression.Id;
    private const string TwoHundredProducts = "/api/products?pageSize=200";

    /// <summary>A client that hands back the body exactly as it came over the wire.</summary>
    private readonly HttpClient _raw = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = topology.Run.App.GetEndpoint("orders", "http"),
    };

    [Fact]
    public async Task TheLabsStatementGoesOutAsTheSameJsonInATenthOfTheBytesWithOnlyTheEntrysSwitchBetweenTheVariants()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioTable.Find(Entry)!;
        var prepared = await scenario.Setup(_raw, ct); // brings one customer's statement to ~95 kB, as before a lab run
        var variants = scenario.Variants(journey: false);

        using var naive = await _raw.SendAsync(As(prepared.CreateRequest(0), variants[0].Header), ct);
        using var optimized = await _raw.SendAsync(As(prepared.CreateRequest(1), variants[1].Header), ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Empty(naive.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], optimized.Content.Headers.ContentEncoding); // the lab accepts "br, gzip": Brotli first
        var (naiveBytes, optimizedBytes) = (await naive.Content.ReadAsByteArrayAsync(ct), await optimized.Content.ReadAsByteArrayAsync(ct));
        Assert.True(naiveBytes.Length >= ScenarioSetups.StatementBytes, $"The statement should be at least {ScenarioSetups.StatementBytes:N0} bytes: {naiveBytes.Length:N0}. {prepared.Setup}");
        Assert.True(optimizedBytes.Length * 10 <= naiveBytes.Length,
            $"Brotli should shrink the statement at least ten times: {optimizedBytes.Length:N0} vs {naiveBytes.Length:N0} bytes.");
        var naiveJson = Encoding.UTF8.GetString(naiveBytes);
        Assert.Equal(naiveJson, Decompress(new BrotliStream(new MemoryStream(optimizedBytes), CompressionMode.Decompress)));
        // Both variants serialize the entity graph (serialization naive): the body is the same, only its encoding differs.
        Assert.Contains("\"requestHash\"", naiveJson);
        TestContext.Current.TestOutputHelper?.WriteLine($"{prepared.Setup}: {naiveBytes.Length:N0} bytes naive, {optimizedBytes.Length:N0} Brotli");
    }

    [Fact]
    public async Task WithBrotliAcceptedTheOptimizedBodyIsAtLeastFiveTimesSmallerAndDecompressesToTheSameJson()
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await SendAsync(Naive, "br", ct);
        using var optimized = await SendAsync(Optimized, "br", ct);

        Assert.Equal(HttpStatusCode.OK, naive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Empty(naive.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], optimized.Content.Headers.ContentEncoding);

        var (naiveBytes, optimizedBytes) = (await naive.Content.ReadAsByteArrayAsync(ct), await optimized.Content.ReadAsByteArrayAsync(ct));
        Assert.True(optimizedBytes.Length * 5 <= naiveBytes.Length,
            $"Brotli should shrink the page at least five times: {optimizedBytes.Length} vs {naiveBytes.Length} bytes.");
        Assert.Equal(Encoding.UTF8.GetString(naiveBytes), Decompress(new BrotliStream(new MemoryStream(optimizedBytes), CompressionMode.Decompress)));
        Assert.Contains("\"pageSize\":200", Encoding.UTF8.GetString(naiveBytes));
    }

    [Fact]
    public async Task AClientThatOnlyAcceptsGzipGetsGzip()
    {
        var ct = TestContext.Current.CancellationToken;

        using var naive = await SendAsync(Naive, "gzip", ct);
        using var optimized = await SendAsync(Optimized, "gzip", ct);

        Assert.Equal(["gzip"], optimized.Content.Headers.ContentEncoding);
        var optimizedBytes = await optimized.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(await naive.Content.ReadAsStringAsync(ct), Decompress(new GZipStream(new MemoryStream(optimizedBytes), CompressionMode.Decompress)));
    }

    [Fact]
    public async Task AClientThatAcceptsNoEncodingGetsThePlainBodyEvenOptimized()
    {
        var ct = TestContext.Current.CancellationToken;

        using var optimized = await SendAsync(Optimized, acceptEncoding: null, ct);

        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Empty(optimized.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task PagesLargerThanTwoHundredProductsAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _raw.GetAsync("/api/products?pageSize=201", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between 1 and 200", await response.Content.ReadAsStringAsync(ct));
    }

    public void Dispose() => _raw.Dispose();

    /// <summary>A request of the lab's scenario with the X-Perf-Variant header the lab sends for a variant.</summary>
    private static HttpRequestMessage As(HttpRequestMessage request, string variantHeader)
    {
        request.Headers.Add("X-Perf-Variant", variantHeader);
        request.Headers.Add("X-Perf-Entry", Entry);
        return request;
    }

    private Task<HttpResponseMessage> SendAsync(string variant, string? acceptEncoding, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, TwoHundredProducts).WithVariant(variant, Entry);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return _raw.SendAsync(request, ct);
    }

    private static string Decompress(Stream decompressing)
    {
        using (decompressing)
        using (var reader = new StreamReader(decompressing, Encoding.UTF8))
        {
            return reader.ReadToEnd();
        }
    }
}
