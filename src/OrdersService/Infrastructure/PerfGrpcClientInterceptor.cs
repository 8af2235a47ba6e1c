using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Counts the calls a request makes to the payment provider and the time it waits for them, and
/// sends its variant selection as metadata.
/// </summary>
public sealed class PerfGrpcClientInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (PerfRequest.Current is not { } perf)
        {
            return continuation(request, context);
        }

        var started = Stopwatch.GetTimestamp();
        var call = continuation(request, Counted(perf, context));
        return new AsyncUnaryCall<TResponse>(Timed(call.ResponseAsync, perf, started),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <summary>The synchronous client methods (the naive payment-async variant) are calls too.</summary>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (PerfRequest.Current is not { } perf)
        {
            return continuation(request, context);
        }

        var started = Stopwatch.GetTimestamp();
        perf.Counters.CountBlockingCall(); // the calling thread waits for the answer, doing nothing
        try
        {
            return continuation(request, Counted(perf, context));
        }
        finally
        {
            perf.Counters.AddPaymentTime(Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task<TResponse> Timed<TResponse>(Task<TResponse> response, PerfRequest perf, long started)
    {
        try
        {
            return await response;
        }
        finally
        {
            perf.Counters.AddPaymentTime(Stopwatch.GetElapsedTime(started));
        }
    }

    private static ClientInterceptorContext<TRequest, TResponse> Counted<TRequest, TResponse>(PerfRequest perf, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        perf.Counters.CountPaymentCall();
        var headers = context.Options.Headers ?? [];
        headers.Add(PerfSelection.HeaderName.ToLowerInvariant(), perf.Selection.ToString());
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
