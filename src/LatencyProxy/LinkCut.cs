using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfReference.LatencyProxy;

/// <summary>
/// A link cut off for a while, as a network partition cuts one: for its length the link carries nothing. Connections it
/// was carrying stay open but silent (what is sent on them is dropped, nothing comes back), and a connection opened
/// meanwhile is accepted and left silent; when the cut heals, those connections are closed — their peers' timeouts
/// would have given up on them by then — and new ones are relayed again. The cut heals by itself, so a lab that dies
/// mid-drill leaves no link cut.
/// <para>
/// It is asked for in-band, as a probe is (<see cref="LinkProbe"/>): a connection that opens with
/// <c>PERFREF-LINK-CUT/1 &lt;milliseconds&gt;</c> and a line end cuts the link it reached and hears the same line back.
/// Only a proxy answers it: like the probe's magic line, no client of the topology sends it first.
/// </para>
/// </summary>
public sealed class LinkCut : IDisposable
{
    /// <summary>The longest cut a line may ask for: a drill's partition, not an outage left behind.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Timer _healer;
    private CancellationTokenSource _carrying = new();
    private TaskCompletionSource _healed = Healed();

    public LinkCut() => _healer = new Timer(_ => Heal());

    private static ReadOnlySpan<byte> Magic => "PERFREF-LINK-CUT/1 "u8;

    public bool IsCut
    {
        get
        {
            lock (_gate)
            {
                return !_healed.Task.IsCompleted;
            }
        }
    }

    /// <summary>
    /// A token for relaying one connection: cancelled when the link is cut (and with <paramref name="ct"/>). The relay
    /// stops silently then, and holds the connection with <see cref="HoldWhileCutAsync"/>.
    /// </summary>
    public CancellationTokenSource Carrying(CancellationToken ct)
    {
        lock (_gate)
        {
            return CancellationTokenSource.CreateLinkedTokenSource(ct, _carrying.Token);
        }
    }

    /// <summary>Completes at once when the link is not cut, else when the cut heals (or <paramref name="ct"/> ends: no exception).</summary>
    public async Task HoldWhileCutAsync(CancellationToken ct)
    {
        Task healed;
        lock (_gate)
        {
            healed = _healed.Task;
        }

        await healed.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Cuts the link for <paramref name="length"/> from now (a cut already in place lasts until the later end).</summary>
    public void For(TimeSpan length)
    {
        lock (_gate)
        {
            if (_healed.Task.IsCompleted)
            {
                _healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _carrying.Cancel();
            _healer.Change(length, Timeout.InfiniteTimeSpan);
        }
    }

    private void Heal()
    {
        lock (_gate)
        {
            _carrying.Dispose();
            _carrying = new CancellationTokenSource();
            _healed.TrySetResult();
        }
    }

    /// <summary>Whether a connection's first bytes ask for a cut, for how long, and how long the line that asked is (it is confirmed by its echo).</summary>
    public static bool IsRequest(ReadOnlySpan<byte> opening, out TimeSpan length, out int lineLength)
    {
        (length, lineLength) = (TimeSpan.Zero, 0);
        var end = opening.IndexOf("\r\n"u8);
        if (!opening.StartsWith(Magic) || end < 0
            || !long.TryParse(opening[Magic.Length..end], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return false;
        }

        (length, lineLength) = (TimeSpan.FromMilliseconds(Math.Min(milliseconds, (long)MaxLength.TotalMilliseconds)), end + 2);
        return true;
    }

    /// <summary>The line that asks for a cut of <paramref name="length"/> (and that the proxy answers with).</summary>
    public static byte[] Request(TimeSpan length) =>
        [.. Magic, .. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(long)length.TotalMilliseconds}\r\n"))];

    /// <summary>Asks the link listening at <paramref name="link"/> to cut itself for <paramref name="length"/>; fails when it does not confirm.</summary>
    public static async Task SendAsync(EndPoint link, TimeSpan length, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var request = Request(length);
        try
        {
            await socket.ConnectAsync(link, timeout.Token);
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            await ProxyEcho.ReadAsync(socket, request, "not a latency proxy that can be cut", timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new IOException($"{link} did not confirm the cut within 5 s.");
        }
    }

    /// <summary>Confirms a cut to the connection that asked for it: its own line back.</summary>
    internal static async Task ConfirmAsync(Socket client, ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        try
        {
            await client.SendAsync(line, SocketFlags.None, ct);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _healer.Dispose();
        Heal();
        _carrying.Dispose();
    }

    private static TaskCompletionSource Healed()
    {
        var healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        healed.SetResult();
        return healed;
    }
}
