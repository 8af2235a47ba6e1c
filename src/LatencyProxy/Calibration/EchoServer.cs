using System.Net;
using System.Net.Sockets;

namespace PerfReference.LatencyProxy.Calibration;

/// <summary>
/// The far end of a calibration link, and of every link's probes inside the proxy: echoes what it
/// receives or, with <c>replyAfterBytes</c>, answers one byte once it has read that many (a sink
/// that says when a transfer has arrived).
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();

    private EchoServer(int? replyAfterBytes)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = ServeAsync(replyAfterBytes, _stopping.Token);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public static EchoServer Start(int? replyAfterBytes = null) => new(replyAfterBytes);

    private async Task ServeAsync(int? replyAfterBytes, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptSocketAsync(ct);
                _ = Task.Run(() => AnswerAsync(connection, replyAfterBytes, ct), ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static async Task AnswerAsync(Socket connection, int? replyAfterBytes, CancellationToken ct)
    {
        using (connection)
        {
            connection.NoDelay = true;
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                total += read;
                if (replyAfterBytes is null)
                {
                    await connection.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
                }
                else if (total >= replyAfterBytes)
                {
                    await connection.SendAsync(new byte[] { 1 }, SocketFlags.None, ct);
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _stopping.Dispose();
    }
}
