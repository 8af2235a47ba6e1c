using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Extensions;

/// <summary>
/// The catalog entry <c>compression</c>: responses go out as they are (naive) or Brotli/gzip
/// compressed (optimized), chosen per request so both can be measured side by side.
/// </summary>
public static class CompressionExtensions
{
    public static IHostApplicationBuilder AddResponseCompressionVariant(this IHostApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            // Brotli first: clients that accept both get the smaller body; gzip for the rest.
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("application/problem+json");
        });
        // Optimal (Brotli quality 4, gzip level 6), not Fastest: a JSON response is compressed as the
        // serializer flushes it, a few kilobytes at a time, and every flush closes a compressed block.
        // At the fastest level those blocks lose most of the repetition JSON is made of; at quality 4
        // they keep it, still at a cost of microseconds for a page of this size.
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        return builder;
    }

    /// <summary>
    /// Compresses responses of requests that run the optimized <c>compression</c> variant. Place it
    /// after <c>UsePerfSwitch</c>: the switch must have read the request's variant, and its byte
    /// counter, wrapped around the compressed stream, then counts the bytes that go on the wire.
    /// </summary>
    public static IApplicationBuilder UseResponseCompressionVariant(this IApplicationBuilder app) =>
        app.UseWhen(http => http.RequestServices.GetRequiredService<IPerfSwitch>().IsOptimized(PerfCatalog.Compression),
            optimized => optimized.UseResponseCompression());
}
