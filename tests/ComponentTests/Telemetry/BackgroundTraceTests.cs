using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using PerfReference.ComponentTests.Infrastructure;
using PerfReference.OrdersService.Extensions;
using PerfReference.OrdersService.Payments;
using PerfReference.Payments.V1;

namespace PerfReference.ComponentTests.Telemetry;

/// <summary>
/// The reconciler's rounds on the dashboard's Traces page, with the telemetry both services really run (the
/// ServiceDefaults' tracing, the gRPC client over HTTP/2, ASP.NET Core's server spans): a round that finds nothing
/// leaves no trace — not in OrdersService, and not at the provider, which would otherwise start a trace of its own
/// for every call it is sent — and a round that releases is one trace.
/// </summary>
public sealed class BackgroundTraceTests(OrdersDatabaseFixture database) : IAsyncDisposable
{
    private const string ProviderService = "/perfreference.payments.v1.PaymentProvider";

    /// <summary>Every span either service exported, as the dashboard would receive them (each provider of this one process exports each span: twice).</summary>
    private readonly List<Activity> _exported = [];

    /// <summary>The W3C traceparent of each call the provider received ("" for none).</summary>
    private readonly List<string> _traceparents = [];

    private readonly List<Payment> _open = [];
    private WebApplication? _provider;
    private IHost? _orders;

    [Fact]
    public async Task IdleRoundsLeaveNoTraceInEitherService()
    {
        var ct = TestContext.Current.CancellationToken;
        var reconciler = await StartAsync(ct);

        await reconciler.ReconcileAsync(ct);
        await reconciler.ReconcileAsync(ct);
        await _provider!.StopAsync(ct); // every request served, every server span ended

        Assert.Equal(2, _traceparents.Count);
        // The provider was told the trace is not sampled (flags 00), and followed that.
        Assert.All(_traceparents, traceparent => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", traceparent));
        Assert.Empty(Exported());
    }

    [Fact]
    public async Task ARoundThatReleasesIsOneTraceAcrossBothServices()
    {
        var ct = TestContext.Current.CancellationToken;
        var reconciler = await StartAsync(ct);
        _open.Add(new Payment
        {
            PaymentId = "pay_orphan",
            Status = PaymentStatus.Authorized,
            AuthorizationKey = $"checkout:{Guid.NewGuid():N}",
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5)),
        });

        Assert.Equal(1, await reconciler.ReconcileAsync(ct));
        await _provider!.StopAsync(ct);

        var spans = Exported();
        var trace = Assert.Single(spans.Select(s => s.TraceId).Distinct());
        Assert.Equal("Release orphaned authorisations", Assert.Single(spans, s => s.Parent is null && s.ParentSpanId == default).DisplayName);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("Void", StringComparison.Ordinal)); // the provider's side joined it
        Assert.DoesNotContain(spans, s => s.DisplayName.Contains("ListPayments", StringComparison.Ordinal));
        Assert.NotEqual(default, trace);
    }

    /// <summary>A provider on loopback and OrdersService's payments wiring (AddPayments) pointed at it; the reconciler, not started.</summary>
    private async Task<PaymentReconciler> StartAsync(CancellationToken ct)
    {
        var provider = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "PerfReference.PaymentsGateway" });
        provider.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        provider.ConfigureOpenTelemetry();
        provider.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported));
        _provider = provider.Build();
        _provider.MapPost($"{ProviderService}/ListPayments", http => AnswerAsync(http, new PaymentPage { Payments = { _open } }));
        _provider.MapPost($"{ProviderService}/Void", http => AnswerAsync(http, new Payment { PaymentId = "pay_orphan", Status = PaymentStatus.Voided }));
        await _provider.StartAsync(ct);

        var orders = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "PerfReference.OrdersService" });
        orders.Configuration["services:payments:grpc:0"] = _provider.Urls.Single();
        orders.AddServiceDefaults();
        orders.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported));
        orders.AddPayments();
        orders.Services.AddSingleton(TimeProvider.System);
        orders.Services.AddScoped(_ => database.NewContext());
        _orders = orders.Build();
        _ = _orders.Services.GetRequiredService<TracerProvider>(); // listening, as a started service is
        return _orders.Services.GetServices<IHostedService>().OfType<PaymentReconciler>().Single();
    }

    /// <summary>A unary gRPC answer by hand: one length-prefixed message, then grpc-status 0 in the trailers.</summary>
    private async Task AnswerAsync(HttpContext http, IMessage answer)
    {
        lock (_traceparents)
        {
            _traceparents.Add(http.Request.Headers.TraceParent.ToString());
        }

        await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        var message = answer.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        http.Response.ContentType = "application/grpc";
        await http.Response.Body.WriteAsync(frame, http.RequestAborted);
        http.Response.AppendTrailer("grpc-status", "0");
    }

    private Activity[] Exported()
    {
        lock (_exported)
        {
            return [.. _exported];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _orders?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}
