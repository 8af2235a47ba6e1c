using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using PerfReference.OrdersService.Extensions;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.ComponentTests.Catalog;

/// <summary>
/// compression: the response-compression variant in an in-memory host, wired as OrdersService
/// wires it (the perf switch first, then the compression it selects): naive responses go out as
/// they are, optimized ones Brotli- or gzip-compressed to the same content.
/// </summary>
public sealed class CompressionPairTests : IAsyncDisposable
{
    private readonly WebApplication _app;

    public CompressionPairTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[ServiceMode.ConfigurationKey] = ServiceMode.Lab;
        builder.AddPerfSwitch();
        builder.AddResponseCompressionVariant();
        _app = builder.Build();
        _app.UsePerfSwitch();
        _app.UseResponseCompressionVariant();
        // A page of products, as JSON repeats itself: property names on every item.
        _app.MapGet("/products", () => Enumerable.Range(1, 200).Select(id => new { id, sku = $"SKU-{id:D6}", name = $"Classic Lamp {id}", category = "books", priceMinor = 1_999 }));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task OptimizedResponsesAreCompressedToTheSameContentNaiveOnesAreNot(string encoding)
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);
        var client = _app.GetTestClient();

        using var naive = await client.SendAsync(Request("naive", encoding), ct);
        using var optimized = await client.SendAsync(Request($"naive, {PerfCatalog.Compression.Id}=optimized", encoding), ct);

        Assert.Equal(HttpStatusCode.OK, optimized.StatusCode);
        Assert.Empty(naive.Content.Headers.ContentEncoding);
        Assert.Equal([encoding], optimized.Content.Headers.ContentEncoding);
        var (plain, compressed) = (await naive.Content.ReadAsByteArrayAsync(ct), await optimized.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(plain, Decompress(compressed, encoding));
        Assert.True(compressed.Length * 5 <= plain.Length, $"{compressed.Length} bytes compressed against {plain.Length}.");
    }

    [Fact]
    public async Task AClientThatAcceptsNoEncodingGetsThePlainBodyEitherWay()
    {
        var ct = TestContext.Current.CancellationToken;
        await _app.StartAsync(ct);

        using var optimized = await _app.GetTestClient().SendAsync(Request("optimized", encoding: null), ct);

        Assert.Empty(optimized.Content.Headers.ContentEncoding);
    }

    private static HttpRequestMessage Request(string variant, string? encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.Add(PerfSelection.HeaderName, variant);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        }

        return request;
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decompressing = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressing.CopyTo(output);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
