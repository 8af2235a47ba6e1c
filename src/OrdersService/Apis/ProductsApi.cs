using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Products;
using PerfReference.OrdersService.Stock;

namespace PerfReference.OrdersService.Apis;

public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListProductsAsync).WithName("ListProducts");
        api.MapGet("/pages", GetCatalogPageAsync).WithName("GetCatalogPage")
            .WithSummary("A storefront's catalog page, cached in the process by its query string (catalog entry memory-leak)");
        api.MapGet("/{productId}", GetProductAsync).WithName("GetProduct");
        api.MapPost("/{productId}/reservations", ReserveAsync).WithName("ReserveStock")
            .WithSummary("Reserve units of a product's stock: 200 with what is left, or 409 when not enough is left (catalog entry lock-contention)");
        api.MapPut("/{productId}/stock", SetStockAsync).WithName("SetStock")
            .WithSummary("Set a product's stock, as an inventory feed would");
        return api;
    }

    /// <summary>The most units one reservation takes: a checkout's line, not a pallet.</summary>
    public const int MaxReservationQuantity = 1_000;

    public const int MaxStock = 1_000_000_000;

    public static async Task<Results<Ok<ReservationResult.Reserved>, ProblemHttpResult, ValidationProblem>> ReserveAsync(
        string productId, StockReservationRequest? request, StockReservations stock, CancellationToken ct)
    {
        if (ResourceIds.Parse(productId) is not { } id)
        {
            return ResourceIds.Invalid("product", productId);
        }

        if (request?.Quantity is not { } quantity || quantity is < 1 or > MaxReservationQuantity)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"quantity is a whole number from 1 to {MaxReservationQuantity}."] },
                title: "The reservation is not valid");
        }

        return await stock.ReserveAsync(id, quantity, ct) switch
        {
            ReservationResult.Reserved reserved => TypedResults.Ok(reserved),
            ReservationResult.OutOfStock refused => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not enough stock",
                detail: $"Product {id} has {refused.Available} units left; {refused.Requested} were asked for."),
            _ => ResourceIds.NotFound("product", id),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SetStockAsync(
        string productId, StockLevel? request, StockReservations stock, CancellationToken ct)
    {
        if (ResourceIds.Parse(productId) is not { } id)
        {
            return ResourceIds.Invalid("product", productId);
        }

        if (request?.Units is not { } units || units is < 0 or > MaxStock)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["units"] = [$"units is a whole number from 0 to {MaxStock}."] },
                title: "The stock level is not valid");
        }

        return await stock.SetStockAsync(id, units, ct) ? TypedResults.NoContent() : ResourceIds.NotFound("product", id);
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

    public static async Task<Results<Ok<Page<ProductSummary>>, ValidationProblem>> GetCatalogPageAsync(
        string? category, int? page, int? pageSize, HttpContext http, CatalogPageCache pages, CancellationToken ct)
    {
        var (request, errors) = PageRequest.From(page, pageSize);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The catalog page query is not valid")
            : TypedResults.Ok(await pages.GetAsync(http.Request.QueryString.Value ?? "", category, request, ct));
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

/// <summary>The body of a reservation: how many units.</summary>
public sealed record StockReservationRequest(int? Quantity);

/// <summary>The body of a stock update: how many units there are now.</summary>
public sealed record StockLevel(int? Units);
