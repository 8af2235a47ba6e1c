using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// When a dependency cannot be reached — a silo restarting, the database or Redis down — the
/// request fails with 503 and a Retry-After, as problem details, instead of a bare 500: the
/// service degrades, and the client knows that trying again later is the right move.
/// </summary>
public sealed class DependencyUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (Dependency(exception) is not { } dependency)
        {
            return false;
        }

        logger.LogWarning(exception, "{Dependency} was unavailable for {Method} {Path}", dependency, http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "1";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = $"{dependency} unavailable",
                Detail = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                    ? $"{dependency} could not be reached. Retry shortly."
                    // A write's outcome is not known here: the database may have committed before its answer was lost.
                    : $"{dependency} could not be reached, so whether the change was made is not known. Retry shortly with the same Idempotency-Key: a change that was made is answered, not made again.",
            },
        });
    }

    private static string? Dependency(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
            or GrainCallTimeoutException => "The customer grain cluster",
        NpgsqlException { IsTransient: true } => "The orders database",
        RedisConnectionException or RedisTimeoutException => "The cache",
        _ when exception.InnerException is { } inner => Dependency(inner),
        _ => null,
    };
}
