using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.LatencyProxy.Shaping;

// latency-proxy [--link <name>] --listen <port> --upstream <host:port> --profile <name> [--link <name> ...]
// Relays every connection on 127.0.0.1:<port> to the upstream, adding the profile's latency and bandwidth, for each link
// given; all of them run in this process and share one clock thread. A connection that opens with LinkProbe.Magic (the
// load lab's probe of the link) is echoed across the same delays.
// latency-proxy measure
// Measures, on this machine, the round trip and bandwidth each profile really adds (to quote with figures).
// A process of links only: the socket engine's thread runs each read's continuation itself (stamp the bytes, queue
// them for the clock) instead of waking a pool thread for it — half the proxy's CPU per forwarded byte — and every
// thread of the process gets the links' priority. Both before the first socket, which reads the setting once.
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1"); // unless the environment says otherwise (to measure without)
}

SchedulingPriority.RaiseProcess();

if (args is ["measure"])
{
    return await Calibrate.AllProfilesAsync();
}

IReadOnlyList<LinkSpec> links;
try
{
    links = LinkSpec.Parse(args, Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? LinkSpec.DefaultName);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Usage: latency-proxy [--link <name>] --listen <port> --upstream <host:port> --profile <profile> [--link <name> ...] | measure");
    return 2;
}

var proxies = new List<TcpLatencyProxy>(links.Count);
foreach (var link in links)
{
    var proxy = TcpLatencyProxy.Start(link.Port, link.UpstreamEndPoint, link.Profile);
    proxies.Add(proxy);
    var profile = link.Profile;
    Console.WriteLine($"{link.Name}: relaying 127.0.0.1:{proxy.Port} -> {link.Upstream} as '{profile.Name}' ({profile.RoundTrip.TotalMilliseconds} ms round trip{(profile.BytesPerSecond is { } rate ? $", {rate * 8 / 1e6:0.#} Mbit/s" : "")})");
}

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
await stopped.Task;
foreach (var proxy in proxies)
{
    await proxy.DisposeAsync();
}

return 0;

internal static partial class Program
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
