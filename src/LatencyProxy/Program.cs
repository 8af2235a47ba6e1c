using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.LatencyProxy.Shaping;
using PerfReference.Topology;

// latency-proxy [--link <name>] --listen <port> --upstream <host:port> --profile <name> [--link <name> ...]
// Relays every connection on 127.0.0.1:<port> to the upstream, adding the profile's latency and bandwidth, for each link
// given; all of them run in this process and share one clock thread. A connection that opens with LinkProbe.Magic (the
// load lab's probe of the link) is echoed across the same delays. With LatencyProxy__ControlPort set, links are also
// opened while it runs, as the silos ask for theirs on that port (LinkRegistry).
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
    Announce(link with { Port = proxy.Port }); // the port it got, where the command line asked for any (0)
}

await using var registry = Environment.GetEnvironmentVariable(LinkControl.PortVariable) is { } controlPort
    ? LinkRegistry.Start(int.Parse(controlPort, System.Globalization.CultureInfo.InvariantCulture), Announce)
    : null;
if (registry is not null)
{
    Console.WriteLine($"control: links opened on request at 127.0.0.1:{registry.Port}");
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
    private static void Announce(LinkSpec link) =>
        Console.WriteLine($"{link.Name}: relaying 127.0.0.1:{link.Port} -> {link.Upstream} as '{link.Profile.Name}' ({link.Profile.RoundTrip.TotalMilliseconds} ms round trip{(link.Profile.BytesPerSecond is { } rate ? $", {rate * 8 / 1e6:0.#} Mbit/s" : "")})");

    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
