using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PerfReference.LatencyProxy.Shaping;

/// <summary>
/// What the link clock's thread sleeps on: armed at a Stopwatch timestamp, <see cref="Wait"/> returns once that moment
/// has passed; arming it again (from any thread) moves the wake-up. On Linux a timerfd on CLOCK_MONOTONIC, the clock
/// Stopwatch reads: a kernel high-resolution timer that wakes within tens of microseconds without spinning (a wait
/// handle's timeout is whole milliseconds, and the clock used to spin the last two of them on every chunk, a core's
/// worth of CPU per busy link on a two-core machine). Elsewhere a wait handle, to the millisecond.
/// </summary>
internal abstract class WakeTimer : IDisposable
{
    public const long Never = long.MaxValue;

    public static WakeTimer Create() =>
        OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000 && TimerFd.TryCreate() is { } timerFd ? timerFd : new WaitHandleTimer();

    /// <summary>Wake the waiter at <paramref name="timestamp"/> (at once when it has passed; <see cref="Never"/>: not at all).</summary>
    public abstract void ArmAt(long timestamp);

    /// <summary>Blocks until the armed moment has passed (the owner arms it at once to stop a waiting thread, then disposes).</summary>
    public abstract void Wait();

    public abstract void Dispose();

    /// <summary>Linux: timerfd_create(CLOCK_MONOTONIC), armed with an absolute time; a blocking read returns when it expires.</summary>
    private sealed class TimerFd : WakeTimer
    {
        private const int ClockMonotonic = 1;
        private const int CloseOnExec = 0x80000; // TFD_CLOEXEC
        private const int AbsoluteTime = 1;      // TFD_TIMER_ABSTIME
        private const long NanosecondsPerSecond = 1_000_000_000;

        private readonly int _fd;

        private TimerFd(int fd) => _fd = fd;

        /// <summary>A timer on the clock Stopwatch reads (checked: the runtime could read another), or null.</summary>
        public static TimerFd? TryCreate()
        {
            var before = Stopwatch.GetTimestamp();
            var sameClock = clock_gettime(ClockMonotonic, out var now) == 0
                && Math.Abs(now.Seconds * NanosecondsPerSecond + now.Nanoseconds - before) < NanosecondsPerSecond / 1000;
            return sameClock && timerfd_create(ClockMonotonic, CloseOnExec) is var fd and >= 0 ? new TimerFd(fd) : null;
        }

        public override void ArmAt(long timestamp)
        {
            // An all-zero value disarms; a moment already past must still fire, so it is never zero.
            var at = timestamp == Never ? default : new TimeSpec(Math.Max(timestamp, 1));
            var setting = new TimerSpec { Value = at };
            if (timerfd_settime(_fd, AbsoluteTime, in setting, IntPtr.Zero) != 0)
            {
                throw new InvalidOperationException($"timerfd_settime failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }

        public override void Wait()
        {
            ulong expirations;
            while (read(_fd, out expirations, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
        }

        public override void Dispose() => close(_fd);

        private const int EINTR = 4;

        [StructLayout(LayoutKind.Sequential)]
        private readonly struct TimeSpec(long nanoseconds)
        {
            public readonly long Seconds = nanoseconds / NanosecondsPerSecond;
            public readonly long Nanoseconds = nanoseconds % NanosecondsPerSecond;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int clock_gettime(int clockId, out TimeSpec time);

        [StructLayout(LayoutKind.Sequential)]
        private struct TimerSpec
        {
            public TimeSpec Interval;
            public TimeSpec Value;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int timerfd_create(int clockId, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int timerfd_settime(int fd, int flags, in TimerSpec newValue, IntPtr oldValue);

        [DllImport("libc", SetLastError = true)]
        private static extern nint read(int fd, out ulong buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }

    /// <summary>Anywhere else: a wait handle's timeout, to the millisecond (late by up to one, never early).</summary>
    private sealed class WaitHandleTimer : WakeTimer
    {
        private readonly AutoResetEvent _changed = new(false);
        private long _at = Never;

        public override void ArmAt(long timestamp)
        {
            Volatile.Write(ref _at, timestamp);
            _changed.Set();
        }

        public override void Wait()
        {
            while (Volatile.Read(ref _at) is var at && Stopwatch.GetTimestamp() < at)
            {
                var remaining = at == Never ? Timeout.InfiniteTimeSpan : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
                _changed.WaitOne(remaining == Timeout.InfiniteTimeSpan ? remaining : TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)));
            }
        }

        public override void Dispose() => _changed.Dispose();
    }
}
