using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps background machinery out of the dashboard's Traces page: a trace that *starts* as a bare
/// database or Redis command (health probes, Orleans' membership table) is not exported. The same
/// sources inside a request are kept, so a request's trace stays whole.
/// </summary>
public sealed class BackgroundTraceFilter(params string[] backgroundSources) : BaseProcessor<Activity>
{
    private readonly HashSet<string> _backgroundSources = new(backgroundSources, StringComparer.Ordinal);

    public override void OnStart(Activity activity)
    {
        if (activity.ParentSpanId == default && _backgroundSources.Contains(activity.Source.Name))
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
        }
    }
}
