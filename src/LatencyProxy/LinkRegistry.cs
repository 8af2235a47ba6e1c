using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfReference.LatencyProxy;

/// <summary>
/// Links opened while the process runs, asked for on a control port. A silo runs as replicas, and each replica's
/// advertised ports are known only inside it, so each replica asks the links process for its two links (silo to silo,
/// client to gateway) when it starts: they then run beside every other link — one clock thread, the links' scheduling
/// priority, socket continuations run inline — instead of on the silo's thread pool, between its grain calls and its
/// collections. A replica asks again every few seconds: asking for a link that runs as asked changes nothing, a links
/// process that restarted gets the link back, and a link asked for with another upstream (a replica restarted, Orleans
/// listening on new ports) is replaced.
/// <para>
/// The request is one line: <c>PERFREF-LINK-OPEN/1</c>, then the link's options as the command line gives them
/// (<see cref="LinkSpec"/>), then a line end; the answer is <c>OK</c>, or <c>ERR</c> and the reason, and a line end.
/// </para>
/// </summary>
public sealed class LinkRegistry : IAsyncDisposable
{
    private const string Magic = "PERFREF-LINK-OPEN/1";
    private const int LongestLine = 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, (LinkSpec Spec, TcpLatencyProxy Proxy)> _links = [];
    private readonly Task _accepting;

    private readonly Action<LinkSpec> _opened;

    private LinkRegistry(Socket listener, Action<LinkSpec> opened)
    {
        (_listener, _opened) = (listener, opened);
        _accepting = AcceptLoop.RunAsync(_listener, AnswerAsync, _stopping.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The links opened so far, by the port each listens on.</summary>
    public IReadOnlyList<LinkSpec> Links
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. _links.Values.Select(link => link.Spec).OrderBy(spec => spec.Port)];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Listens for requests on <paramref name="port"/> (0: any free port) of 127.0.0.1; <paramref name="opened"/> hears of each link opened or replaced.</summary>
    public static LinkRegistry Start(int port, Action<LinkSpec>? opened = null)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(64);
        return new LinkRegistry(listener, opened ?? (_ => { }));
    }

    /// <summary>Runs <paramref name="spec"/>: nothing to do when it runs as asked; a link on its port to another upstream or with another profile is replaced.</summary>
    public async Task OpenAsync(LinkSpec spec)
    {
        await _gate.WaitAsync();
        try
        {
            if (_links.TryGetValue(spec.Port, out var running))
            {
                if (running.Spec == spec)
                {
                    return;
                }

                await running.Proxy.DisposeAsync();
                _links.Remove(spec.Port);
            }

            _links[spec.Port] = (spec, TcpLatencyProxy.Start(spec.Port, spec.UpstreamEndPoint, spec.Profile));
        }
        finally
        {
            _gate.Release();
        }

        _opened(spec);
    }

    /// <summary>Asks the links process whose control port is <paramref name="control"/> to run <paramref name="spec"/>; an <see cref="IOException"/> says why it did not.</summary>
    public static async Task RequestAsync(EndPoint control, LinkSpec spec, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(control, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(Request(spec)), SocketFlags.None, timeout.Token);
            var answer = await ReadLineAsync(socket, timeout.Token)
                ?? throw new IOException($"{control} closed the connection without answering: not a links process's control port.");
            if (answer != "OK")
            {
                throw new IOException($"The links process at {control} did not open {spec.Name} on port {spec.Port}: {(answer.StartsWith("ERR ", StringComparison.Ordinal) ? answer[4..] : answer)}.");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new IOException($"The links process at {control} did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
        catch (SocketException error)
        {
            throw new IOException($"No links process answers at {control}: {error.Message}", error);
        }
    }

    /// <summary>The line that asks for <paramref name="spec"/>.</summary>
    public static string Request(LinkSpec spec) => $"{Magic} {string.Join(' ', spec.Arguments)}\n";

    /// <summary>The link a request line asks for; an <see cref="ArgumentException"/> says what is wrong with it.</summary>
    public static LinkSpec Parse(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is [Magic, .. var options] && options.Length > 0
            ? LinkSpec.Parse(options) is [var spec] ? spec : throw new ArgumentException("One link per request.")
            : throw new ArgumentException($"A request starts with {Magic} and gives one link's options.");
    }

    private async Task AnswerAsync(Socket client, CancellationToken ct)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                var answer = await ReadLineAsync(client, timeout.Token) is { } line ? await OpenRequestedAsync(line) : "ERR no request";
                await client.SendAsync(Encoding.ASCII.GetBytes(answer + "\n"), SocketFlags.None, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The asker went away or took too long: it asks again.
            }
        }
    }

    private async Task<string> OpenRequestedAsync(string line)
    {
        try
        {
            await OpenAsync(Parse(line));
            return "OK";
        }
        catch (Exception ex) when (ex is ArgumentException or SocketException)
        {
            return $"ERR {ex.Message.ReplaceLineEndings(" ")}";
        }
    }

    /// <summary>One line (without its end) of at most <see cref="LongestLine"/> bytes; null when the connection closes first.</summary>
    private static async Task<string?> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[LongestLine];
        var received = 0;
        while (true)
        {
            var end = Array.IndexOf(buffer, (byte)'\n', 0, received);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end).TrimEnd('\r');
            }

            if (received == buffer.Length)
            {
                throw new IOException($"A line longer than {LongestLine} bytes.");
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, ct);
            if (read == 0)
            {
                return null;
            }

            received += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        foreach (var (_, proxy) in _links.Values)
        {
            await proxy.DisposeAsync();
        }

        _links.Clear();
        _stopping.Dispose();
        _gate.Dispose();
    }
}
