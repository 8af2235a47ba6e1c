using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace PerfReference.LatencyProxy.Shaping;

/// <summary>
/// One direction of a proxied connection. Each segment read is stamped with the moment it may arrive on the link's wire in
/// that direction (<see cref="LinkWire"/>, shared by the link's connections) and queued; the link clock (<see cref="LinkClock"/>) writes it at that moment, in order,
/// with a non-blocking send from the clock's own thread. Only when the receiver's socket is full does a pool thread
/// take over the writing until the backlog is gone (the receiver is slow: its bytes are late anyway). Reading runs ahead
/// of writing, so a delay adds latency without cutting throughput, as on a real long link — but by one
/// bandwidth-delay product at most (<see cref="LinkWire.ReadAheadOf"/>): beyond that the link stops reading, the
/// sender's socket fills and TCP's back-pressure reaches the sender, as it would through a real link. A connection's
/// <paramref name="opening"/>, when the proxy read it first (to tell a probe from real traffic), goes first, stamped with
/// the time it was read. Buffers come from the shared pool and go back once written: nothing is allocated per segment.
/// </summary>
internal sealed class ShapedLink : IDueWork
{
    private readonly Socket _from;
    private readonly Socket _to;
    private readonly LinkClock _clock;
    private readonly Opening? _opening;
    private readonly LinkCounters _counters;
    private readonly int _readAhead;
    private readonly Queue<Segment> _queued = new();    // read, not yet due
    private readonly Queue<Segment> _backlog = new();   // due, waiting for room in the receiver's socket
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LinkWire _wire;
    private CancellationTokenSource? _stopReading;
    private TaskCompletionSource? _room;
    private int _held;
    private bool _onClock;
    private bool _draining;
    private bool _failed;

    public ShapedLink(Socket from, Socket to, LinkWire wire, LinkClock clock, LinkCounters counters, Opening? opening = null)
    {
        (_from, _to, _wire, _clock, _counters, _opening) = (from, to, wire, clock, counters, opening);
        _readAhead = wire.ReadAhead;
        _to.Blocking = false; // the clock's thread must never wait on a socket; async operations are unaffected
    }

    /// <summary>Completes once the end of the stream (or a failure) has been passed on, every byte before it delivered.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lock (_gate)
        {
            _stopReading = stopReading;
        }

        await using (ct.Register(static state => ((ShapedLink)state!).Fail(), this).ConfigureAwait(false))
        {
            await ReadAsync(stopReading.Token).ConfigureAwait(false);
            await _delivered.Task.ConfigureAwait(false);
        }

        lock (_gate)
        {
            _stopReading = null; // disposed next: a failure after this has no reader to stop
        }
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        try
        {
            if (_opening is { } first)
            {
                if (first.Length == 0)
                {
                    ArrayPool<byte>.Shared.Return(first.Buffer);
                    return; // the peer closed (or reset) before it sent anything
                }

                Enqueue(new Segment(first.Buffer, 0, first.Length, _wire.DueOf(first.ReadTimestamp, first.Length)));
            }

            while (await RoomAsync().ConfigureAwait(false) is var room and > 0)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(LinkWire.SegmentSize);
                int read;
                try
                {
                    read = await _from.ReceiveAsync(buffer.AsMemory(0, Math.Min(room, LinkWire.SegmentSize)), SocketFlags.None, ct).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                Enqueue(new Segment(buffer, 0, read, _wire.DueOf(Stopwatch.GetTimestamp(), read)));
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset or a stop ends the stream as a close does.
        }
        finally
        {
            Enqueue(Segment.EndOfStream(_wire.DueOf(Stopwatch.GetTimestamp(), 0)));
        }
    }

    /// <summary>How much may be read now: waits while the link holds its read-ahead; 0 once the link has failed.</summary>
    private async ValueTask<int> RoomAsync()
    {
        while (true)
        {
            Task waiting;
            lock (_gate)
            {
                if (_failed)
                {
                    return 0;
                }

                if (_held < _readAhead)
                {
                    return _readAhead - _held;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting = _room.Task;
            }

            await waiting.ConfigureAwait(false);
        }
    }

    private void Enqueue(Segment segment)
    {
        lock (_gate)
        {
            if (_failed)
            {
                segment.Return();
                return;
            }

            _held += segment.Length;
            _counters.Holding(_held);
            _queued.Enqueue(segment);
            if (!_onClock && !_draining)
            {
                _onClock = true;
                _clock.Schedule(this, _queued.Peek().Due);
            }
        }
    }

    /// <summary>On the clock's thread: writes every segment now due, while the receiver's socket takes them.</summary>
    public void RunDue(long now)
    {
        bool drain;
        lock (_gate)
        {
            _onClock = false;
            drain = Release(now);
        }

        if (drain)
        {
            _ = DrainAsync();
        }
    }

    /// <summary>
    /// Under the lock: sends the due segments in order without blocking and puts the link back on the clock for the next;
    /// true when the receiver's socket filled and a pool thread must write the backlog (<see cref="DrainAsync"/>).
    /// </summary>
    private bool Release(long now)
    {
        while (!_failed && _queued.TryPeek(out var segment) && segment.Due <= now)
        {
            _queued.Dequeue();
            if (segment.IsEndOfStream)
            {
                Finish();
                return false;
            }

            var sent = TrySend(segment);
            if (sent < 0)
            {
                _held -= segment.Length;
                segment.Return();
                FailLocked();
                return false;
            }

            if (sent < segment.Length)
            {
                Credit(sent);
                _backlog.Enqueue(segment.Skip(sent));
                _draining = true;
                return true;
            }

            Delivered(segment);
        }

        if (!_failed && _queued.TryPeek(out var next))
        {
            _onClock = true;
            _clock.Schedule(this, next.Due);
        }

        return false;
    }

    /// <summary>A non-blocking send: the bytes the receiver's socket took (all, most of the time); -1 when the receiver is gone.</summary>
    private int TrySend(Segment segment)
    {
        var sent = _to.Send(segment.Span, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => -1,
        };
    }

    /// <summary>The receiver is slow: a pool thread writes the backlog (with await, not the clock's thread), then hands the link back to the clock.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            Segment segment;
            lock (_gate)
            {
                if (_failed || !_backlog.TryPeek(out segment))
                {
                    _draining = false;
                    if (_failed || !Release(Stopwatch.GetTimestamp()))
                    {
                        return;
                    }

                    continue; // what came due meanwhile filled the socket again: keep writing here
                }
            }

            try
            {
                var sent = 0;
                while (sent < segment.Length)
                {
                    sent += await _to.SendAsync(segment.Memory[sent..], SocketFlags.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Fail();
                return;
            }

            lock (_gate)
            {
                if (_failed)
                {
                    return; // the failure returned the backlog's buffers
                }

                _backlog.Dequeue();
                Delivered(segment);
            }
        }
    }

    /// <summary>A segment handed to the receiver's socket: its buffer goes back to the pool.</summary>
    private void Delivered(Segment segment)
    {
        Credit(segment.Length);
        segment.Return();
    }

    /// <summary>Bytes no longer held: the reader may go on when it was waiting for room.</summary>
    private void Credit(int bytes)
    {
        _held -= bytes;
        _counters.Forwarded(bytes);
        if (_room is { } room && _held < _readAhead)
        {
            _room = null;
            room.TrySetResult();
        }
    }

    /// <summary>Every byte before it was delivered: the end of the stream is passed on, as the peer sent it.</summary>
    private void Finish()
    {
        try
        {
            _to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        _delivered.TrySetResult();
    }

    private void Fail()
    {
        lock (_gate)
        {
            FailLocked();
        }
    }

    /// <summary>The receiver is gone (or the proxy stops): nothing more is read or delivered, and the buffers go back.</summary>
    private void FailLocked()
    {
        if (_failed)
        {
            return;
        }

        _failed = true;
        foreach (var segment in _queued.Concat(_backlog))
        {
            _held -= segment.Length;
            segment.Return();
        }

        _queued.Clear();
        _backlog.Clear();
        _room?.TrySetResult();
        _room = null;
        _delivered.TrySetResult();
        if (_stopReading is { } stopReading)
        {
            // Not under the lock: cancelling runs the reader's callbacks.
            ThreadPool.UnsafeQueueUserWorkItem(static cts => CancelQuietly(cts), stopReading, preferLocal: false);
        }
    }

    private static void CancelQuietly(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The link finished meanwhile.
        }
    }

    /// <summary>Bytes of a pooled buffer and the moment they may arrive; a segment without bytes ends the stream.</summary>
    private readonly record struct Segment(byte[]? Buffer, int Offset, int Length, long Due)
    {
        public static Segment EndOfStream(long due) => new(null, 0, 0, due);

        public bool IsEndOfStream => Buffer is null;

        public ReadOnlySpan<byte> Span => Buffer.AsSpan(Offset, Length);

        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(Offset, Length);

        public Segment Skip(int count) => this with { Offset = Offset + count, Length = Length - count };

        public void Return()
        {
            if (Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }
}

/// <summary>The first bytes a client sent on a connection (in a pooled buffer), and when the proxy read them; empty when the client closed first.</summary>
internal readonly record struct Opening(byte[] Buffer, int Length, long ReadTimestamp)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public static async Task<Opening> ReadAsync(Socket client, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(LinkWire.SegmentSize);
        try
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(0, LinkWire.SegmentSize), SocketFlags.None, ct).ConfigureAwait(false);
            return new Opening(buffer, read, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return new Opening(buffer, 0, Stopwatch.GetTimestamp()); // as the link itself would: the end of the stream
        }
    }
}
