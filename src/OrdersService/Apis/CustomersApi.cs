using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.CustomerGrains;
using PerfReference.OrdersService.Customers;
using PerfReference.OrdersService.Orders;
using PerfReference.OrdersService.Statements;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Apis;

public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/customers").WithTags("Customers");
        api.MapGet("/profiles", GetProfilesAsync)
            .WithName("GetCustomerProfiles")
            .WithSummary("Many customers at once (ids=1,2,3; at most 100); unknown ids are listed as missing");
        api.MapGet("/{customerId}", GetCustomerAsync).WithName("GetCustomer");
        api.MapGet("/{customerId}/orders", ListOrdersAsync).WithName("ListCustomerOrders");
        api.MapGet("/{customerId}/statement", GetStatementAsync)
            .WithName("GetCustomerStatement")
            .WithSummary("All of a customer's orders with lines and payments (catalog entry serialization)")
            .Produces<CustomerStatement>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>A customer as the customer grain holds it (tier, loyalty, last order); how it is read is the catalog entry grain-read-only.</summary>
    public static async Task<Results<Ok<CustomerProfile>, ProblemHttpResult>> GetCustomerAsync(string customerId, CustomerReader reader)
    {
        if (ResourceIds.Parse(customerId) is not { } id)
        {
            return ResourceIds.Invalid("customer", customerId);
        }

        var profile = await reader.ReadAsync(id);
        return profile is null ? ResourceIds.NotFound("customer", id) : TypedResults.Ok(profile);
    }

    /// <summary>The profiles of up to 100 customers, in the order asked, from their grains (catalog entry n-plus-one-grains).</summary>
    public static async Task<Results<Ok<CustomerProfiles>, ValidationProblem>> GetProfilesAsync(string? ids, CustomerProfileReader reader)
    {
        var (customerIds, errors) = CustomerIdList.Parse(ids);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The customer ids are not valid")
            : TypedResults.Ok(await reader.ReadAsync(customerIds));
    }

    /// <summary>A customer's statement: how it is read and serialized is the catalog entry serialization (<see cref="StatementReader"/>).</summary>
    public static async Task<IResult> GetStatementAsync(string customerId, StatementReader statements, CancellationToken ct)
    {
        if (ResourceIds.Parse(customerId) is not { } id)
        {
            return ResourceIds.Invalid("customer", customerId);
        }

        return await statements.ReadAsync(id, ct) ?? ResourceIds.NotFound("customer", id);
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
