using System.Net.Sockets;

namespace PerfReference.LatencyProxy;

/// <summary>
/// How a connection that opened with one of the proxy's own lines (<see cref="LinkProbe"/>, <see cref="LinkCut"/>) hears
/// it echoed. The proxy connects its upstream before it knows what the connection is, and relays what the upstream says
/// at once (a server may speak first: an Orleans silo sends its preamble as soon as it accepts), so the upstream's first
/// bytes can come before the echo — never after it: the proxy stops relaying them before it answers. Anything else, or
/// more than a preamble's worth, is not a proxy that answers such lines.
/// </summary>
internal static class ProxyEcho
{
    /// <summary>The most the upstream may say before the echo: an Orleans preamble is far less.</summary>
    private const int MostBeforeTheEcho = 4096;

    /// <summary>Reads until the connection has echoed <paramref name="line"/>; an <see cref="IOException"/> naming <paramref name="notAProxy"/> otherwise.</summary>
    public static async Task ReadAsync(Socket socket, byte[] line, string notAProxy, CancellationToken ct)
    {
        var heard = new byte[MostBeforeTheEcho + line.Length];
        var received = 0;
        while (!heard.AsSpan(0, received).EndsWith(line))
        {
            if (received == heard.Length)
            {
                throw new IOException($"{socket.RemoteEndPoint} answered with something else: {notAProxy}.");
            }

            var read = await socket.ReceiveAsync(heard.AsMemory(received), SocketFlags.None, ct);
            received += read > 0 ? read : throw new IOException(received == 0
                ? $"{socket.RemoteEndPoint} closed the connection before it answered: {notAProxy}."
                : $"{socket.RemoteEndPoint} answered with something else ({received} bytes, then closed): {notAProxy}.");
        }
    }
}
