using System.IO.Compression;
using System.Net;
using System.Text;
using Aspire.Hosting.Testing;
using PerfReference.IntegrationTests.Infrastructure;
using static PerfReference.TestSupport.PerfHeaders;

namespace PerfReference.IntegrationTests.Catalog;

/// <summary>
/// <c>compression</c>: 200 products as JSON go out as they are (naive) or Brotli-compressed
/// (optimized); the bytes on the wire are counted raw, with no decompression in the client.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class CompressionTests(TopologyFixture topology) : IDisposable
{
    private const string Entry = "compression";
    private const string TwoHundredProducts = "/api/products?pageSize=200";

    /// <summary>A client that hands back the body exactly as it came over the wire.</summary>
    private readonly HttpClient _raw = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = topology.Run.App.GetEndpoint("orders", "http"),
    };

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
