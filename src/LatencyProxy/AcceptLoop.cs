using System.Net.Sockets;

namespace PerfReference.LatencyProxy;

/// <summary>Accepts connections until the listener closes or <c>ct</c> ends, handing each to its own task (not awaited: one slow connection holds up no other).</summary>
internal static class AcceptLoop
{
    public static async Task RunAsync(Socket listener, Func<Socket, CancellationToken, Task> handle, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(ct);
                _ = handle(client, ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
