using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Products;

namespace PerfReference.OrdersService.Apis;

public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListProductsAsync).WithName("ListProducts");
        api.MapGet("/{productId}", GetProductAsync).WithName("GetProduct");
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
