using System.Diagnostics;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// The service's own spans, for work no request starts (the payment worker, the warm-up): each run
/// is one trace in the dashboard rather than a scatter of database and grain calls. The source is
/// named after the application, which the ServiceDefaults' tracing listens to.
/// </summary>
public static class OrdersTracing
{
    public static readonly ActivitySource Source = new(typeof(OrdersTracing).Assembly.GetName().Name!);
}
