using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Apis;

public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/customers").WithTags("Customers");
        api.MapGet("/{customerId}", GetCustomerAsync).WithName("GetCustomer");
        api.MapGet("/{customerId}/orders", ListOrdersAsync).WithName("ListCustomerOrders");
        return api;
    }

    /// <summary>A customer as the customer grain holds it (tier, loyalty, last order).</summary>
    public static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetCustomerAsync(string customerId, IGrainFactory grains)
    {
        if (ResourceIds.Parse(customerId) is not { } id)
        {
            return ResourceIds.Invalid("customer", customerId);
        }

        var profile = await grains.GetGrain<ICustomerGrain>(id).GetProfileAsync();
        return profile is null ? ResourceIds.NotFound("customer", id) : TypedResults.Ok(profile);
    }

    /// <summary>A customer's orders, newest first, a page at a time.</summary>
    public static async Task<Results<Ok<Page<OrderSummary>>, ValidationProblem, ProblemHttpResult>> ListOrdersAsync(
        string customerId, int? page, int? pageSize, IGrainFactory grains, OrderReader orders, CancellationToken ct)
    {
        if (ResourceIds.Parse(customerId) is not { } id)
        {
            return ResourceIds.Invalid("customer", customerId);
        }

        var (request, errors) = PageRequest.From(page, pageSize);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The page request is not valid");
        }

        if (await grains.GetGrain<ICustomerGrain>(id).GetProfileAsync() is null)
        {
            return ResourceIds.NotFound("customer", id);
        }

        return TypedResults.Ok(await orders.ForCustomerAsync(id, request, ct));
    }
}
