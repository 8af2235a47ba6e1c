using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.CustomerGrains;

namespace PerfReference.OrdersService.Apis;

public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/customers").WithTags("Customers");
        api.MapGet("/{customerId:long}", GetCustomerAsync).WithName("GetCustomer");
        return api;
    }

    /// <summary>A customer as the customer grain holds it (tier, loyalty, last order).</summary>
    public static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetCustomerAsync(long customerId, IGrainFactory grains)
    {
        var profile = await grains.GetGrain<ICustomerGrain>(customerId).GetProfileAsync();
        return profile is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Customer not found", detail: $"No customer has id {customerId}.")
            : TypedResults.Ok(profile);
    }
}
