using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.LatencyProxy.Shaping;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Links;

/// <summary>
/// Measures each network link's real round trip for the length of a run: a probe (<see cref="LinkProbe"/>) through
/// the link at a low rate, beside the load, each link on a thread of its own with blocking sockets. On the thread
/// pool a probe's answer would wait behind the lab's own work (dc23510: the lab's sends waited for thread injection
/// on two cores), and the lab's lateness would be measured as the link's. For the same reason each probe thread runs at
/// the links' own priority (<see cref="SchedulingPriority"/>, PERFREF_LINK_NICE): the probe is part of the instrument,
/// and a busy machine's delay in waking it would otherwise count as the link's.
/// </summary>
public sealed class LinkProber : IAsyncDisposable
{
    /// <summary>Two probes a second per link: a few hundred over a run, one byte each, nothing beside the load.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A probe not back by then has failed (the slowest profile's round trip is 40 ms).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Failures in a row after which a link is no longer probed (gone, or not answering probes).</summary>
    public const int GiveUpAfter = 3;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Probing[] _links;

    private LinkProber(IReadOnlyList<NetworkLink> links, TimeSpan interval)
    {
        // Each link starts at its own offset in the interval, so the probes of different links do not go out together.
        _links = [.. links.Select((link, i) => new Probing(link, interval, interval * i / links.Count, _stopping.Token))];
    }

    public static LinkProber Start(IReadOnlyList<NetworkLink> links, TimeSpan interval) => new(links, interval);

    /// <summary>The links being probed (none on loopback).</summary>
    public IReadOnlyList<NetworkLink> Links => [.. _links.Select(probing => probing.Link)];

    /// <summary>Probes that came back so far, over every link.</summary>
    public int Answered => _links.Sum(probing => probing.Answered);

    /// <summary>Completes once no link is probed any more: each stopped, or given up after <see cref="GiveUpAfter"/> failures in a row.</summary>
    public Task Completion => Task.WhenAll(_links.Select(probing => probing.Finished));

    /// <summary>Stops every link's probes (the one in flight finishes) and gives each link's figures, in the order the links were given.</summary>
    public async Task<IReadOnlyList<LinkRoundTrip>> StopAsync()
    {
        await _stopping.CancelAsync();
        return await Task.WhenAll(_links.Select(probing => probing.Finished));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>One link's probes, on its own thread.</summary>
    private sealed class Probing
    {
        private readonly TimeSpan _interval;
        private readonly TimeSpan _offset;
        private readonly CancellationToken _stopping;
        private readonly TaskCompletionSource<LinkRoundTrip> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TimeSpan> _roundTrips = [];
        private int _answered;

        public Probing(NetworkLink link, TimeSpan interval, TimeSpan offset, CancellationToken stopping)
        {
            (Link, _interval, _offset, _stopping) = (link, interval, offset, stopping);
            new Thread(Run) { IsBackground = true, Name = $"link-probe {link.Name}:{link.Port}" }.Start();
        }

        public NetworkLink Link { get; }

        public int Answered => Volatile.Read(ref _answered);

        public Task<LinkRoundTrip> Finished => _finished.Task;

        private void Run()
        {
            SchedulingPriority.RaiseCurrentThread();
            var endpoint = new IPEndPoint(IPAddress.Loopback, Link.Port);
            LinkProbe? probe = null;
            var (failures, inARow) = (0, 0);
            string? error = null;
            var due = Stopwatch.GetTimestamp() + (long)(_offset.TotalSeconds * Stopwatch.Frequency);
            try
            {
                while (!_stopping.WaitHandle.WaitOne(Until(due)))
                {
                    try
                    {
                        probe ??= LinkProbe.Connect(endpoint, Timeout);
                        _roundTrips.Add(probe.RoundTrip());
                        Interlocked.Increment(ref _answered);
                        inARow = 0;
                    }
                    catch (Exception ex) when (ex is SocketException or IOException)
                    {
                        failures++;
                        probe?.Dispose();
                        probe = null;
                        if (++inARow >= GiveUpAfter)
                        {
                            error = $"no longer probed after {GiveUpAfter} failures in a row: {ex.Message}";
                            break;
                        }
                    }

                    // The next probe at its time; one that is already late goes now, and the missed ones are not made up.
                    due = Math.Max(due + (long)(_interval.TotalSeconds * Stopwatch.Frequency), Stopwatch.GetTimestamp());
                }
            }
            finally
            {
                probe?.Dispose();
                _finished.TrySetResult(Figures(failures, error));
            }
        }

        private LinkRoundTrip Figures(int failures, string? error)
        {
            var measured = _roundTrips.Count > 0 ? RoundTripMeasurement.Of(Link.Profile, _roundTrips) : null;
            return new LinkRoundTrip(Link.Name, Link.Port, Link.Profile.Name, Link.Profile.RoundTrip.TotalMilliseconds, _roundTrips.Count, failures,
                Ms(measured?.Median), Ms(measured?.P99))
            {
                Error = error,
            };
        }

        private static double? Ms(TimeSpan? time) => time is { } t ? Math.Round(t.TotalMilliseconds, 3) : null;

        private static TimeSpan Until(long due) => TimeSpan.FromSeconds(Math.Max(0, due - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
    }
}
