using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runtime;

namespace PerfReference.LoadLab.Links.ProxyCost;

/// <summary>
/// The proxies under measurement, as processes of a proxy build started the way the AppHost starts them (the built
/// program, no <c>dotnet run</c> host): every link in one process (<see cref="ProxyCostPoint.Shared"/>), or one process
/// per link (<see cref="ProxyCostPoint.PerLink"/>, with the single-link command line every build understands, so an
/// older build can be measured beside this one).
/// </summary>
public sealed class ProxyProcesses : IAsyncDisposable
{
    private readonly IReadOnlyList<Process> _processes;

    private ProxyProcesses(IReadOnlyList<Process> processes) => _processes = processes;

    public IReadOnlyList<int> ProcessIds => [.. _processes.Select(process => process.Id)];

    /// <summary>The proxy program this lab was built with (its build copies the proxy beside it).</summary>
    public static string OwnBuild => Path.Combine(AppContext.BaseDirectory, "PerfReference.LatencyProxy.dll");

    public static async Task<ProxyProcesses> StartAsync(
        string arrangement, IReadOnlyList<LinkSpec> links, string proxy, IReadOnlyList<string> environment, CancellationToken ct)
    {
        IEnumerable<(IEnumerable<string> Arguments, string Name)> commands = arrangement switch
        {
            ProxyCostPoint.Shared => [(links.SelectMany(link => link.Arguments), "network-links")],
            ProxyCostPoint.PerLink => links.Select(link => (SingleLink(link), link.Name)),
            _ => throw new LabInputException($"Unknown arrangement '{arrangement}': use {ProxyCostPoint.Shared} or {ProxyCostPoint.PerLink}."),
        };

        var started = new List<Process>();
        try
        {
            foreach (var (arguments, name) in commands)
            {
                started.Add(Start(proxy, arguments, name, environment));
            }

            var processes = new ProxyProcesses(started);
            foreach (var link in links)
            {
                await WaitUntilListeningAsync(link.Port, started, ct);
            }

            return processes;
        }
        catch
        {
            await new ProxyProcesses(started).DisposeAsync();
            throw;
        }
    }

    /// <summary>CPU milliseconds the proxy processes have used so far.</summary>
    public double CpuMilliseconds() => _processes.Sum(process => ProcessCpu.TreeMilliseconds(process.Id) ?? 0);

    /// <summary>A free port on 127.0.0.1 for a link to listen on.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static IEnumerable<string> SingleLink(LinkSpec link) =>
        ["--listen", link.Port.ToString(CultureInfo.InvariantCulture), "--upstream", link.Upstream, "--profile", link.Profile.Name];

    private static Process Start(string proxy, IEnumerable<string> arguments, string name, IReadOnlyList<string> environment)
    {
        var dll = proxy.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(dll ? "dotnet" : proxy)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dll)
        {
            start.ArgumentList.Add(proxy);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OTEL_SERVICE_NAME"] = name;
        foreach (var variable in environment)
        {
            var (key, value) = variable.Split('=', 2) is [var k, var v] ? (k, v) : throw new LabInputException($"--proxy-env '{variable}' is not NAME=value.");
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new LabInputException($"Could not start {proxy}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(int port, IReadOnlyList<Process> processes, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
        while (true)
        {
            if (processes.FirstOrDefault(process => process.HasExited) is { } exited)
            {
                throw new LabInputException($"The proxy (process {exited.Id}) exited with code {exited.ExitCode} before it listened on {port}.");
            }

            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Where(process => !process.HasExited))
        {
            LocalProcesses.Signal(process.Id, LocalProcesses.SigInt);
        }

        foreach (var process in _processes)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
