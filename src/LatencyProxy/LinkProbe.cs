using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PerfReference.LatencyProxy;

/// <summary>
/// A probe of a link's real round trip. A connection that opens with <see cref="Magic"/> — a text line no client of
/// the topology sends first: PostgreSQL's startup packet and Orleans' preamble begin with a binary length, RESP with
/// '*' or a command name, HTTP/1 with a method, HTTP/2 with "PRI *" — is answered by an echo inside the proxy
/// instead of the upstream, across both of the link's delays, so every byte sent on it comes back after the round
/// trip the proxy gives real traffic at that moment (its clock, its threads, its share of the cores).
/// </summary>
public sealed class LinkProbe : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _ping = new byte[1];
    private readonly byte[] _pong = new byte[1];

    private LinkProbe(Socket socket) => _socket = socket;

    public static ReadOnlySpan<byte> Magic => "PERFREF-LINK-PROBE/1\r\n"u8;

    public static bool IsProbe(ReadOnlySpan<byte> opening) => opening.StartsWith(Magic);

    /// <summary>
    /// Opens a probe connection to the link listening at <paramref name="link"/>, blocking (for a thread of its own):
    /// the magic line goes out and must come back (after what the upstream may say first: <see cref="ProxyEcho"/>), one
    /// round trip that is not counted. A link that answers anything else (an older proxy relays the line to its server)
    /// fails with an <see cref="IOException"/>.
    /// </summary>
    public static LinkProbe Connect(EndPoint link, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            using (var opening = new CancellationTokenSource(timeout))
            {
                socket.ConnectAsync(link, opening.Token).AsTask().GetAwaiter().GetResult();
                socket.Send(Magic);
                ProxyEcho.ReadAsync(socket, Magic.ToArray(), "not a latency proxy that answers probes", opening.Token).GetAwaiter().GetResult();
            }

            return new LinkProbe(socket);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new IOException($"{link} did not accept and answer a probe within {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One byte there and back, blocking; a <see cref="SocketException"/> when it does not come back within the timeout.</summary>
    public TimeSpan RoundTrip()
    {
        _ping[0]++;
        var started = Stopwatch.GetTimestamp();
        _socket.Send(_ping);
        ReceiveExactly(_socket, _pong);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return _pong[0] == _ping[0] ? elapsed : throw new IOException($"The probe got back byte {_pong[0]} for byte {_ping[0]}.");
    }

    private static void ReceiveExactly(Socket socket, byte[] buffer)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var read = socket.Receive(buffer, received, buffer.Length - received, SocketFlags.None);
            received += read > 0 ? read : throw new IOException($"The link closed the probe after {received} of {buffer.Length} bytes.");
        }
    }

    public void Dispose() => _socket.Dispose();
}
