using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;

namespace PerfReference.LoadLab.Links.ProxyCost;

/// <summary>What one link's traffic looks like: exchanges a second over its connections, and the bytes of each request and answer.</summary>
public sealed record ExchangeShape(double PerSecond, int Connections, int RequestBytes, int ResponseBytes)
{
    public TimeSpan IntervalPerConnection => TimeSpan.FromSeconds(Connections / PerSecond);
}

/// <summary>
/// The far end of one link: answers every request of <see cref="ExchangeShape.RequestBytes"/> with
/// <see cref="ExchangeShape.ResponseBytes"/>, as a database answers a statement — the traffic a link of the topology carries.
/// </summary>
public sealed class ExchangeServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ExchangeShape _shape;
    private readonly Task _accepting;

    public ExchangeServer(ExchangeShape shape)
    {
        _shape = shape;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        _accepting = AcceptAsync(_stopping.Token);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    private async Task AcceptAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                _ = AnswerAsync(await _listener.AcceptAsync(ct), ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerAsync(Socket connection, CancellationToken ct)
    {
        using (connection)
        {
            connection.NoDelay = true;
            var request = new byte[_shape.RequestBytes];
            var response = new byte[_shape.ResponseBytes];
            try
            {
                while (await Exchange.ReceiveExactlyAsync(connection, request, ct))
                {
                    await connection.SendAsync(response, SocketFlags.None, ct);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stopping.Dispose();
    }
}

/// <summary>
/// The clients of one link: <see cref="ExchangeShape.Connections"/> connections through the link, each sending a request
/// at its own pace and reading the whole answer before the next (as a database client does), the pace's slots spread
/// over the connections. Counts the exchanges and times each from its send, from <see cref="BeginMeasuring"/> on.
/// </summary>
public sealed class ExchangeTraffic : IAsyncDisposable
{
    private readonly LongConcurrentHistogram _exchanges = new(1, 60_000_000, 3);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _running;
    private long _measuringFrom = long.MaxValue;
    private long _measuringTo = long.MaxValue;
    private long _count;

    private ExchangeTraffic(IPEndPoint link, ExchangeShape shape)
    {
        var interval = (long)(shape.IntervalPerConnection.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        _running = Task.WhenAll(Enumerable.Range(0, shape.Connections)
            .Select(i => RunConnectionAsync(link, shape, start + interval * i / shape.Connections, interval, _stopping.Token)));
    }

    public static ExchangeTraffic Start(IPEndPoint link, ExchangeShape shape) => new(link, shape);

    /// <summary>Exchanges sent from now on are counted and timed.</summary>
    public void BeginMeasuring() => Interlocked.Exchange(ref _measuringFrom, Stopwatch.GetTimestamp());

    /// <summary>Exchanges sent from now on are not counted; the figures of those sent between the two.</summary>
    public (long Count, double P99Ms) EndMeasuring()
    {
        Interlocked.Exchange(ref _measuringTo, Stopwatch.GetTimestamp());
        return (Interlocked.Read(ref _count), _exchanges.TotalCount == 0 ? 0 : Math.Round(_exchanges.GetValueAtPercentile(99) / 1000.0, 3));
    }

    private async Task RunConnectionAsync(IPEndPoint link, ExchangeShape shape, long first, long interval, CancellationToken ct)
    {
        var request = new byte[shape.RequestBytes];
        var response = ArrayPool<byte>.Shared.Rent(shape.ResponseBytes);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(link, ct);
            for (var due = first; !ct.IsCancellationRequested; due = Math.Max(due + interval, Stopwatch.GetTimestamp()))
            {
                if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is { TotalMilliseconds: > 0 } wait)
                {
                    await Task.Delay(wait, ct);
                }

                var sent = Stopwatch.GetTimestamp();
                await socket.SendAsync(request, SocketFlags.None, ct);
                if (!await Exchange.ReceiveExactlyAsync(socket, response.AsMemory(0, shape.ResponseBytes), ct))
                {
                    return;
                }

                if (sent >= Interlocked.Read(ref _measuringFrom) && sent < Interlocked.Read(ref _measuringTo))
                {
                    Interlocked.Increment(ref _count);
                    _exchanges.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds));
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }
}

internal static class Exchange
{
    /// <summary>Fills the buffer from the socket; false when the other side closed first.</summary>
    public static async Task<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[received..], SocketFlags.None, ct);
            if (read == 0)
            {
                return false;
            }

            received += read;
        }

        return true;
    }
}
