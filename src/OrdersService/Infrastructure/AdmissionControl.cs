using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.OrdersService.Infrastructure;

public sealed class AdmissionOptions
{
    public const string SectionName = "PerfReference:Admission";

    /// <summary>
    /// On or off; unset, on in production and off in the lab, whose naive variants are measured as they drown (their
    /// capacity is what the lab reports). The drills and the overload run turn it on in the lab, for the whole run
    /// (a restarted OrdersService gets the same setting): <c>ServiceSettings:orders:PerfReference:Admission:Enabled=true</c>.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Requests served at once; the next is answered 503 at once. Twice the pool of database connections
    /// (ConnectionPoolOptions.MaxPoolSize, 20): every admitted request can have a connection within one other
    /// request's hold of it, and what would come on top only waits in Npgsql's queue — up to its 15 s timeout, while
    /// the client retries and the queue grows — which is the drowning this prevents. The seed checkout held 85 a
    /// second within its P99 on two cores at about 10 in flight, so the limit sheds nothing below capacity; the
    /// overload run is what confirms the figure.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentRequests { get; set; } = 40;

    /// <summary>Requests that wait for a slot rather than being refused: none, a wait is what the client's retry is for.</summary>
    [Range(0, 10_000)]
    public int QueueLimit { get; set; }

    /// <summary>What <c>Retry-After</c> tells a refused client: a second, about what a burst takes to pass.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 1;

    public bool IsOn(bool isLab) => Enabled ?? !isLab;

    /// <summary>How it is set, as the lab's diagnostics report it.</summary>
    public AdmissionState State(bool isLab) => new(IsOn(isLab), MaxConcurrentRequests, RetryAfterSeconds);
}

/// <summary>
/// Admission control: past <see cref="AdmissionOptions.MaxConcurrentRequests"/> requests in flight the service
/// answers 503 with <c>Retry-After</c> at once (ASP.NET Core's concurrency limiter) instead of letting work queue for
/// threads, database connections and Redis until every request times out — what a restarted instance met when every
/// client retried at once. Health probes are never refused: a busy instance is alive, and a liveness probe that
/// failed under load would have it killed and its load moved to the others.
/// </summary>
public static class AdmissionControl
{
    public const string PartitionKey = "requests";

    public static IHostApplicationBuilder AddAdmissionControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = RefuseAsync;
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<AdmissionOptions>>((limiter, admission) =>
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => HealthEndpoints.IsProbe(http.Request.Path.Value ?? "")
                ? RateLimitPartition.GetNoLimiter("probes")
                : RateLimitPartition.GetConcurrencyLimiter(PartitionKey, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = admission.Value.MaxConcurrentRequests,
                    QueueLimit = admission.Value.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })));
        return builder;
    }

    /// <summary>Place it first after the exception handler: a refused request costs nothing past this point.</summary>
    public static IApplicationBuilder UseAdmissionControl(this WebApplication app)
    {
        var admission = app.Services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
        var isOn = admission.IsOn(app.IsLab());
        app.Logger.LogInformation("Admission control {State}: {Limit} requests at once, then 503 with Retry-After {RetryAfter} s",
            isOn ? "on" : "off", admission.MaxConcurrentRequests, admission.RetryAfterSeconds);
        if (!isOn)
        {
            return app;
        }

        GiveEveryAdmittedRequestAThread(admission.MaxConcurrentRequests);
        return app.UseRateLimiter();
    }

    /// <summary>
    /// Raises the thread pool's minimum of worker threads to the admission limit: the pool then creates a thread at once
    /// for each admitted request that needs one, instead of starting at one a core and injecting more slowly once it is
    /// starved. A restarted instance meets its clients' retries all at once; a request that blocks its thread (the lab's
    /// naive sync-over-async and blocking payment call) would otherwise hold the few there are while the admitted requests
    /// behind it wait for threads not yet injected. Admission control bounds their number, so the minimum is bounded too.
    /// Off (the lab's default), the pool is left as it is: the lab measures the naive variants as they starve it.
    /// </summary>
    private static void GiveEveryAdmittedRequestAThread(int admitted)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < admitted)
        {
            ThreadPool.SetMinThreads(admitted, io);
        }
    }

    private static ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var options = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<AdmissionOptions>>().Value;
        return ServiceUnavailable.WriteAsync(rejected.HttpContext, options.RetryAfterSeconds, "The service is at capacity", string.Create(CultureInfo.InvariantCulture,
            $"{options.MaxConcurrentRequests} requests are being served; retry after {options.RetryAfterSeconds} s (a checkout retried with the same Idempotency-Key is placed once)."));
    }
}

/// <summary>The answer of a service that cannot take a request now but will soon: 503, Retry-After, and problem details saying why.</summary>
public static class ServiceUnavailable
{
    public static async ValueTask WriteAsync(HttpContext http, int retryAfterSeconds, string title, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = title, Detail = detail },
        });
    }
}
