using Grpc.Core;
using Grpc.Core.Interceptors;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>Counts the calls a request makes to the payment provider and sends its variant selection as metadata.</summary>
public sealed class PerfGrpcClientInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Counted(context));

    /// <summary>The synchronous client methods (the naive payment-async variant) are calls too.</summary>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Counted(context));

    private static ClientInterceptorContext<TRequest, TResponse> Counted<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (PerfRequest.Current is not { } perf)
        {
            return context;
        }

        perf.Counters.CountPaymentCall();
        var headers = context.Options.Headers ?? [];
        headers.Add(PerfSelection.HeaderName.ToLowerInvariant(), perf.Selection.ToString());
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
