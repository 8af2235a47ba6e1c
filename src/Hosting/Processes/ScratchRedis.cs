using System.Diagnostics;
using System.Net.Sockets;

namespace PerfReference.Hosting.Processes;

/// <summary>
/// A throw-away <c>redis-server</c> on a free loopback port, with the persistence it is asked for
/// (none, or an append-only file flushed every second or on every write): what a benchmark of a
/// durable write compares. Gone, files and all, when disposed.
/// </summary>
public sealed class ScratchRedis : IAsyncDisposable
{
    private readonly Process _server;
    private readonly string _directory;

    private ScratchRedis(Process server, string directory, int port)
    {
        _server = server;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis's form of the address.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="appendfsync">null for no persistence; else Redis's <c>appendfsync</c>: <c>everysec</c> or <c>always</c>.</param>
    public static async Task<ScratchRedis> StartAsync(string? appendfsync, CancellationToken ct)
    {
        var redis = BinaryLocation.Redis().Require("redis-server", "Install it with: apt-get install redis-server.");
        var directory = ScratchDirectory.Create("scratch-redis");
        var port = ScratchDirectory.FreePort();
        string[] persistence = appendfsync is null ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", appendfsync];
        var start = new ProcessStartInfo(redis) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "", .. persistence])
        {
            start.ArgumentList.Add(argument);
        }

        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                return new ScratchRedis(server, directory, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
