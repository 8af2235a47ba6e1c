using Grpc.Core;
using Grpc.Core.Interceptors;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>Counts the calls a request makes to the payment provider and sends its variant selection as metadata.</summary>
public sealed class PerfGrpcClientInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (PerfRequest.Current is not { } perf)
        {
            return continuation(request, context);
        }

        perf.Counters.CountPaymentCall();
        var headers = context.Options.Headers ?? [];
        headers.Add(PerfSelection.HeaderName.ToLowerInvariant(), perf.Selection.ToString());
        return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers)));
    }
}
