using Microsoft.AspNetCore.Http.HttpResults;
using PerfReference.OrdersService.Operations;
using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Apis;

/// <summary>What operations staff look at: the orders of a time window at a glance.</summary>
public static class OperationsApi
{
    public static RouteGroupBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/operations").WithTags("Operations");
        api.MapGet("/orders-summary", GetOrdersSummaryAsync)
            .WithName("GetOrdersSummary")
            .WithSummary("Orders placed in a window (from inclusive, to exclusive, at most 31 days) by status, with totals (catalog entry missing-index)");
        return api;
    }

    public static async Task<Results<Ok<OrdersSummary>, ValidationProblem>> GetOrdersSummaryAsync(
        string? from, string? to, OrdersSummaryReader summaries, CancellationToken ct)
    {
        var (range, errors) = DateRange.Parse(from, to);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The time window is not valid")
            : TypedResults.Ok(await summaries.ReadAsync(range, ct));
    }
}
