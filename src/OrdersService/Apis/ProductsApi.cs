using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Caching;
using PerfReference.OrdersService.Orders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using PerfReference.OrdersService.Products;
using PerfReference.OrdersService.Products.Import;
using PerfReference.OrdersService.Stock;

namespace PerfReference.OrdersService.Apis;

public static class ProductsApi
{
    /// <summary>About 200,000 lines of a typical feed (<see cref="ProductImportReader.MaxRows"/>); larger is refused before it is read.</summary>
    public const long MaxImportBytes = 64 * 1024 * 1024;

    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListProductsAsync).WithName("ListProducts");
        api.MapGet("/pages", GetCatalogPageAsync).WithName("GetCatalogPage")
            .WithSummary("A storefront's catalog page, cached in the process by its query string (catalog entry memory-leak)");
        api.MapGet("/{productId}", GetProductAsync).WithName("GetProduct");
        api.MapPost("/import", ImportAsync)
            .WithName("ImportProducts")
            .WithSummary("Imports a product feed in JSON Lines (application/x-ndjson): new SKUs inserted, known ones updated, all or nothing (catalog entry bulk-insert)")
            .Accepts<string>(ProductImportReader.ContentType)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
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
