using Grpc.Core;
using Grpc.Core.Interceptors;
using StackExchange.Redis;

namespace PerfReference.PaymentsGateway.Payments;

/// <summary>
/// The provider's store (Redis) out of reach means the provider is unavailable: callers get
/// <see cref="StatusCode.Unavailable"/> — which they retry, with the same idempotency key — and the
/// reason, rather than <see cref="StatusCode.Unknown"/>, which a caller cannot tell from a refusal.
/// </summary>
public sealed class StoreUnavailableInterceptor(ILogger<StoreUnavailableInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception error) when (error is RedisConnectionException or RedisTimeoutException)
        {
            logger.LogWarning(error, "{Method} failed: the payment store is unavailable", context.Method);
            throw new RpcException(new Status(StatusCode.Unavailable,
                "The provider's payment store is unavailable. Retry with the same idempotency key: a call that did go through is replayed, not repeated."));
        }
    }
}
