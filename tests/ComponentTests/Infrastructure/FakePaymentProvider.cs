using Grpc.Core;
using PerfReference.Payments.V1;

namespace PerfReference.ComponentTests.Infrastructure;

/// <summary>
/// The payment provider's transport, in process: the generated gRPC client runs as in the service,
/// and each call is recorded — its method and whether it was made blocking or asynchronously —
/// then answered with a payment, or failed with <see cref="FailWith"/>. A test that needs calls to wait sets
/// <see cref="Hold"/>: every call then waits for it (a blocking call holding its thread), and
/// <see cref="InFlight"/> and <see cref="MaxInFlight"/> say how many waited at once.
/// </summary>
public sealed class FakePaymentProvider : CallInvoker
{
    private readonly List<string> _calls = [];
    private int _inFlight;
    private int _maxInFlight;

    public StatusCode? FailWith { get; set; }

    /// <summary>When set, every call waits until it completes before answering.</summary>
    public Task? Hold { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The provider's payments, as ListPayments finds them: by status and creation window, a page at a time.</summary>
    public List<Payment> Listed { get; } = [];

    /// <summary>Every ListPayments request, in the order made.</summary>
    public List<ListPaymentsRequest> ListRequests { get; } = [];

    public PaymentProvider.PaymentProviderClient Client => new(this);

    /// <summary>"Authorize" for an async call, "Authorize (blocking)" for a blocking one, in the order made.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Entered();
        try
        {
            Hold?.Wait(); // as a blocking call does: the thread waits for the answer
            return Answer<TResponse>($"{method.Name} (blocking)");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        return new AsyncUnaryCall<TResponse>(AnswerAsync(), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        async Task<TResponse> AnswerAsync()
        {
            Entered();
            try
            {
                if (Hold is { } hold)
                {
                    await hold;
                }
                else
                {
                    await Task.Yield(); // answered later, as a call over the network is
                }

                return request switch
                {
                    ListPaymentsRequest listing => Listing<TResponse>(listing),
                    VoidAuthorizationRequest voiding => Answer<TResponse>($"Void {voiding.PaymentId}"),
                    _ => Answer<TResponse>(method.Name),
                };
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private void Entered()
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
        {
        }
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    /// <summary>As the provider pages: oldest first, page_token the offset of the page, page_size 100 when 0.</summary>
    private TResponse Listing<TResponse>(ListPaymentsRequest request)
    {
        lock (_calls)
        {
            _calls.Add("ListPayments");
            ListRequests.Add(request.Clone());
        }

        var matching = Listed
            .Where(p => request.Status == PaymentStatus.Unspecified || p.Status == request.Status)
            .Where(p => (request.CreatedFrom is null || p.CreatedAt >= request.CreatedFrom) && (request.CreatedBefore is null || p.CreatedAt < request.CreatedBefore))
            .OrderBy(p => p.CreatedAt)
            .ToArray();
        var offset = request.PageToken.Length > 0 ? int.Parse(request.PageToken, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var size = request.PageSize > 0 ? request.PageSize : 100;
        var page = new PaymentPage { Payments = { matching.Skip(offset).Take(size) } };
        if (offset + size < matching.Length)
        {
            page.NextPageToken = (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return (TResponse)(object)page;
    }

    private TResponse Answer<TResponse>(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }

        if (FailWith is { } status)
        {
            throw new RpcException(new Status(status, "the fake provider fails this call"));
        }

        object payment = new Payment
        {
            PaymentId = "pay_component_test",
            Status = call.StartsWith("Capture", StringComparison.Ordinal) ? PaymentStatus.Captured : PaymentStatus.Authorized,
        };
        return (TResponse)payment;
    }
}
