using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PerfReference.OrdersService.Checkout;
using PerfReference.OrdersService.Orders;

namespace PerfReference.OrdersService.Apis;

public static class OrdersApi
{
    /// <summary>A checkout body is small; anything larger is refused before it is read.</summary>
    public const long MaxCheckoutBodyBytes = 256 * 1024;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders");

        api.MapPost("/", PlaceOrderAsync)
            .WithName("PlaceOrder")
            .WithSummary("Checkout: price the lines, authorise the payment, store the order (201), or take it with its payment pending (202)")
            .WithMetadata(new RequestSizeLimitAttribute(MaxCheckoutBodyBytes));
        api.MapGet("/", ListOrdersAsync)
            .WithName("ListOrders")
            .WithSummary("Orders placed in a window (at most 31 days), newest first, a keyset page at a time: pass the answer's next as after (catalog entry unbounded-results)");
        api.MapGet("/export", ExportOrdersAsync)
            .WithName("ExportOrders")
            .WithSummary("Every order placed in a window (at most 31 days), newest first, as one JSON array (catalog entry unbounded-results)")
            .Produces<List<OrderListItem>>()
            .ProducesValidationProblem();
        api.MapGet("/{orderId}", GetOrderAsync).WithName("GetOrder");
        api.MapGet("/{orderId}/status", GetOrderStatusAsync)
            .WithName("GetOrderStatus")
            .WithSummary("The order's state and its payment's, for polling (catalog entry connection-pooling)");
        api.MapGet("/{orderId}/payment", GetPaymentStatusAsync)
            .WithName("GetOrderPayment")
            .WithSummary("The order's payment: our record and the payment as the provider holds it now (catalog entry threadpool-starvation)");

        return api;
    }

    public static async Task<Results<Created<OrderDetails>, Accepted<OrderDetails>, Ok<OrderDetails>, ValidationProblem, ProblemHttpResult>> PlaceOrderAsync(
        CheckoutRequest? request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CheckoutService checkout,
        HttpContext http,
        CancellationToken ct)
    {
        var errors = CheckoutValidator.Validate(request, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The checkout request is not valid");
        }

        var lines = request!.Lines!.Select(line => (line.ProductId!.Value, line.Quantity!.Value)).ToArray();
        var result = await checkout.CheckoutAsync(request.CustomerId!.Value, lines, idempotencyKey, ct);

        switch (result)
        {
            case CheckoutResult.Placed placed:
                return TypedResults.Created($"/api/orders/{placed.Order.Id}", placed.Order);
            case CheckoutResult.Accepted accepted:
                return TypedResults.Accepted($"/api/orders/{accepted.Order.Id}", accepted.Order);
            case CheckoutResult.Replayed replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(replayed.Order);
            case CheckoutResult.Refused refused:
                if (refused.RetryAfter is { } retryAfter)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return TypedResults.Problem(statusCode: refused.StatusCode, title: refused.Title, detail: refused.Detail);
            default:
                throw new InvalidOperationException($"Unhandled checkout result {result.GetType().Name}.");
        }
    }

    public static async Task<Results<Ok<OrderListPage>, ValidationProblem>> ListOrdersAsync(
        string? from, string? to, string? after, int? pageSize, OrderListReader orders, CancellationToken ct)
    {
        var (range, errors) = DateRange.Parse(from, to);
        OrderCursor? cursor = null;
        if (after is not null && (cursor = OrderCursor.Parse(after)) is null)
        {
            errors["after"] = [$"'{after}' is not a cursor: pass a page's next as it came."];
        }

        if (pageSize is < 1 or > OrderListReader.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {OrderListReader.MaxPageSize}."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The order listing request is not valid")
            : TypedResults.Ok(await orders.ListAsync(range, cursor, pageSize ?? OrderListReader.DefaultPageSize, ct));
    }

    public static async Task<IResult> ExportOrdersAsync(string? from, string? to, OrderListReader orders, CancellationToken ct)
    {
        var (range, errors) = DateRange.Parse(from, to);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The export request is not valid")
            : await orders.ExportAsync(range, ct);
    }

    public static async Task<Results<Ok<OrderStatusView>, ProblemHttpResult>> GetOrderStatusAsync(string orderId, OrderStatusReader orders, CancellationToken ct)
    {
        if (ResourceIds.Parse(orderId) is not { } id)
        {
            return ResourceIds.Invalid("order", orderId);
        }

        return await orders.FindAsync(id, ct) is { } status ? TypedResults.Ok(status) : ResourceIds.NotFound("order", id);
    }

    public static async Task<Results<Ok<OrderPaymentStatus>, ProblemHttpResult>> GetPaymentStatusAsync(string orderId, PaymentStatusReader payments, CancellationToken ct)
    {
        if (ResourceIds.Parse(orderId) is not { } id)
        {
            return ResourceIds.Invalid("order", orderId);
        }

        return await payments.ReadAsync(id, ct) is { } status
            ? TypedResults.Ok(status)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payment not found", detail: $"No order with id {id} has a payment.");
    }

    public static async Task<Results<Ok<OrderDetails>, ProblemHttpResult>> GetOrderAsync(string orderId, OrderReader orders, CancellationToken ct)
    {
        if (ResourceIds.Parse(orderId) is not { } id)
        {
            return ResourceIds.Invalid("order", orderId);
        }

        return await orders.FindAsync(id, ct) is { } order
            ? TypedResults.Ok(order)
            : ResourceIds.NotFound("order", id);
    }
}
