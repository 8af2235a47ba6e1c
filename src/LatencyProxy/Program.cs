using System.Net;
using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.Topology;

// latency-proxy --listen <port> --upstream <host:port> --profile <name>
// Relays every connection on 127.0.0.1:<port> to the upstream, adding the profile's latency and bandwidth;
// a connection that opens with LinkProbe.Magic (the load lab's probe of the link) is echoed across the same delays.
// latency-proxy measure
// Measures, on this machine, the round trip and bandwidth each profile really adds (to quote with figures).
if (args is ["measure"])
{
    return await Calibrate.AllProfilesAsync();
}

string? listen = null, upstream = null, profileName = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--listen": listen = args[i + 1]; break;
        case "--upstream": upstream = args[i + 1]; break;
        case "--profile": profileName = args[i + 1]; break;
        default:
            Console.Error.WriteLine($"Unexpected argument '{args[i]}'.");
            return 2;
    }
}

if (!int.TryParse(listen, out var port) || upstream is null || !IPEndPoint.TryParse(upstream.Replace("localhost", "127.0.0.1"), out var upstreamEndPoint) || profileName is null)
{
    Console.Error.WriteLine("Usage: latency-proxy --listen <port> --upstream <host:port> --profile " + string.Join("|", NetworkProfile.All.Select(p => p.Name)));
    return 2;
}

NetworkProfile profile;
try
{
    profile = NetworkProfile.Parse(profileName);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

await using var proxy = TcpLatencyProxy.Start(port, upstreamEndPoint, profile);
Console.WriteLine($"Relaying 127.0.0.1:{proxy.Port} -> {upstreamEndPoint} as '{profile.Name}' ({profile.RoundTrip.TotalMilliseconds} ms round trip{(profile.BytesPerSecond is { } rate ? $", {rate * 8 / 1e6:0.#} Mbit/s" : "")})");

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();
await stopped.Task;
return 0;
