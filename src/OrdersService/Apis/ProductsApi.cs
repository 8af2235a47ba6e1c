using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Products;

namespace PerfReference.OrdersService.Apis;

public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Products");
        api.MapGet("/", ListProductsAsync).WithName("ListProducts");
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
}
