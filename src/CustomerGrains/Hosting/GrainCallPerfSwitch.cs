using Microsoft.Extensions.Options;
using PerfReference.Performance;

namespace PerfReference.CustomerGrains.Hosting;

/// <summary>
/// The switch inside a grain: the variant selection of the request that made the call, which the
/// caller's grain-call filter puts in Orleans' <see cref="RequestContext"/> (it flows with the call
/// and with the calls the grain makes in turn); the configured default for a call that no request
/// made (a warm-up, a timer). A singleton: the RequestContext is the current call's. Outside the lab the
/// optimized code, whatever the call carries.
/// </summary>
public sealed class GrainCallPerfSwitch(IOptions<PerfOptions> options) : IPerfSwitch
{
    public PerfSelection Selection =>
        options.Value.IsLab && RequestContext.Get(PerfSelection.RequestContextKey) is string selection
            ? PerfSelection.Parse(selection, options.Value.DefaultVariant) // the caller read it from a header it had validated
            : options.Value.DefaultSelection;
}
