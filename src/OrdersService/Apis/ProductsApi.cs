using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Orders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using PerfReference.OrdersService.Products;
using PerfReference.OrdersService.Products.Import;

namespace PerfReference.OrdersService.Apis;

public static class ProductsApi
{
    /// <summary>About 200,000 lines of a typical feed (<see cref="ProductImportReader.MaxRows"/>); larger is refused before it is read.</summary>
    public const long MaxImportBytes = 64 * 1024 * 1024;

    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListProductsAsync).WithName("ListProducts");
        api.MapGet("/{productId}", GetProductAsync).WithName("GetProduct");
        api.MapPost("/import", ImportAsync)
            .WithName("ImportProducts")
            .WithSummary("Imports a product feed in JSON Lines (application/x-ndjson): new SKUs inserted, known ones updated, all or nothing (catalog entry bulk-insert)")
            .Accepts<string>(ProductImportReader.ContentType)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
        return api;
    }

    public static async Task<Results<Ok<Page<ProductSummary>>, ValidationProblem>> ListProductsAsync(
        string? category, string? search, int? page, int? pageSize, ProductCatalog catalog, CancellationToken ct)
    {
        var (request, errors) = PageRequest.From(page, pageSize, ProductCatalog.MaxPageSize);
        if (search is { Length: > 100 })
        {
            errors["search"] = ["search is at most 100 characters."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The product query is not valid")
            : TypedResults.Ok(await catalog.ListAsync(category, search, request, ct));
    }

    /// <summary>
    /// A product feed, imported in one transaction: 200 with what happened to the rows; 400 naming the first line that
    /// cannot be imported (and nothing written); 415 for another content type; 413 for a feed over the size limit.
    /// </summary>
    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, ProductImporter importer, ProductCache cache, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !string.Equals(type.MediaType.Value, ProductImportReader.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported import format",
                detail: $"Send the feed as {ProductImportReader.ContentType}: one JSON object per line.");
        }

        try
        {
            var (report, updatedIds) = await importer.ImportAsync(request.Body, ct);
            await cache.RemoveAsync(updatedIds);
            return TypedResults.Ok(report);
        }
        catch (ProductImportException error)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The import is not valid; nothing was imported",
                detail: error.Message, extensions: new Dictionary<string, object?> { ["line"] = error.Line, ["reason"] = error.Reason });
        }
        catch (BadHttpRequestException error)
        {
            // The feed broke off or outgrew the size limit while it was being read: the client's mistake, and nothing written.
            return TypedResults.Problem(statusCode: error.StatusCode, title: "The import could not be read; nothing was imported", detail: error.Message);
        }
    }

    /// <summary>One product for sale, read through the Redis cache (cold after a deploy unless warmed: catalog entry cache-warming).</summary>
    public static async Task<Results<Ok<ProductSummary>, ProblemHttpResult>> GetProductAsync(string productId, ProductCache cache, CancellationToken ct)
    {
        if (ResourceIds.Parse(productId) is not { } id)
        {
            return ResourceIds.Invalid("product", productId);
        }

        return await cache.FindAsync(id, ct) is { } product ? TypedResults.Ok(product) : ResourceIds.NotFound("product", id);
    }
}
