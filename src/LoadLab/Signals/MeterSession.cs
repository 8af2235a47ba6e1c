using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Signals;

/// <summary>
/// Listens to one process's <c>System.Runtime</c> meter over EventPipe, as <c>dotnet-counters</c>
/// does: the runtime's <c>System.Diagnostics.Metrics</c> event source publishes every instrument
/// once per interval, between a CollectionStart and a CollectionStop event; each interval becomes
/// one <see cref="MeterSample"/>. Nothing is added to the service: these are the instruments its
/// OpenTelemetry exporter already sends to the dashboard.
/// </summary>
internal sealed class MeterSession : IDisposable
{
    private const string Provider = "System.Diagnostics.Metrics";
    private const string Meter = "System.Runtime";

    /// <summary>Keywords of the metrics event source: messages (errors) and time-series values.</summary>
    private const long Keywords = 0x1 | 0x2;

    private const double MB = 1024 * 1024;

    private readonly string _sessionId;
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;
    private readonly DateTimeOffset _origin;
    private readonly List<MeterSample> _samples = [];
    private const string Gen2Collections = "dotnet.gc.collections|gc.heap.generation=gen2";

    private readonly Dictionary<string, double> _interval = new(StringComparer.Ordinal);
    private Dictionary<string, double>? _previous;
    private string? _error;

    private MeterSession(ServiceProcess process, string sessionId, EventPipeSession session, DateTimeOffset origin, TimeSpan interval)
    {
        Process = process;
        _sessionId = sessionId;
        Interval = interval;
        _session = session;
        _origin = origin;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Dynamic.All += OnEvent;
        // Process() blocks until the session ends, so it gets a thread of its own: on the thread pool, one per sampled
        // process would hold pool threads for the whole run, and on two cores the lab's own sends then waited for the
        // pool to inject threads (about half a second at a time) — a stall the open loop charged to the system.
        _processing = Task.Factory.StartNew(() =>
        {
            try
            {
                _source.Process();
            }
            catch (Exception ex)
            {
                _error ??= $"the event stream broke: {ex.Message}";
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public ServiceProcess Process { get; }

    public TimeSpan Interval { get; }

    public static async Task<MeterSession> StartAsync(ServiceProcess process, DateTimeOffset origin, TimeSpan interval, CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Round(interval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var sessionId = Guid.NewGuid().ToString("N");
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = sessionId,
            ["Metrics"] = Meter,
            ["RefreshInterval"] = seconds,
            ["MaxTimeSeries"] = "1000",
            ["MaxHistograms"] = "10",
            // A client id lets this session share the event source with another listener (a dotnet-counters) instead of failing.
            ["ClientId"] = Guid.NewGuid().ToString("N"),
        };
        var provider = new EventPipeProvider(Provider, EventLevel.Informational, Keywords, arguments);
        var session = await new DiagnosticsClient(process.ProcessId).StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, ct);
        return new MeterSession(process, sessionId, session, origin, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
    }

    /// <summary>Ends the session and returns what it recorded.</summary>
    public async Task<ProcessSignals> StopAsync()
    {
        try
        {
            // Asynchronously: a synchronous stop waits on a socket, and on the socket engine's own thread (the lab runs
            // socket continuations inline) nothing would ever complete it.
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
        {
            // The process exited during the run (a drill, a crash): what it reported until then stands.
        }

        await Task.WhenAny(_processing, Task.Delay(TimeSpan.FromSeconds(5)));
        lock (_samples)
        {
            return new ProcessSignals(Process.Service, Process.ProcessId, [.. _samples],
                _samples.Count == 0 ? _error ?? "the process published no System.Runtime values" : null);
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _session.Dispose();
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.ProviderName != Provider)
        {
            return;
        }

        switch (e.EventName)
        {
            case "Collection/Start" or "CollectionStart":
                _interval.Clear();
                break;
            case "CounterRateValuePublished" or "UpDownCounterRateValuePublished" or "GaugeValuePublished" when IsOurs(e):
                Accumulate(e);
                break;
            case "Collection/Stop" or "CollectionStop":
                Sample(e.TimeStamp);
                break;
            case "Error" or "MultipleSessionsNotSupportedError" or "MultipleSessionsConfiguredIncorrectlyError":
                _error = $"{e.EventName}: {string.Join(", ", e.PayloadNames.Select(e.PayloadByName))}";
                break;
        }
    }

    /// <summary>Our session's values (a shared session says "SHARED"), of the runtime's meter.</summary>
    private bool IsOurs(TraceEvent e) =>
        e.PayloadByName("sessionId") is string session && (session == _sessionId || session == "SHARED") &&
        e.PayloadByName("meterName") as string == Meter;

    /// <summary>
    /// Keeps each instrument's value: the running total of a counter, the current value of an
    /// up/down counter or gauge (the runtime publishes the thread pool's thread count and queue
    /// length as observable counters whose "value" is the current one). Deltas are taken between
    /// intervals here rather than from the event's "rate", which the first interval leaves empty.
    /// Series split by a tag (generation, CPU mode) are summed, except collections, kept per generation.
    /// </summary>
    private void Accumulate(TraceEvent e)
    {
        var instrument = e.PayloadByName("instrumentName") as string ?? "";
        var text = e.EventName == "GaugeValuePublished" ? e.PayloadByName("lastValue") as string : e.PayloadByName("value") as string;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return;
        }

        var key = instrument == "dotnet.gc.collections" ? $"{instrument}|{e.PayloadByName("tags")}" : instrument;
        _interval[key] = _interval.GetValueOrDefault(key) + value;
    }

    /// <summary>One sample per interval after the first (which only sets the running totals the next deltas start from).</summary>
    private void Sample(DateTime at)
    {
        var current = new Dictionary<string, double>(_interval, StringComparer.Ordinal);
        _interval.Clear();
        var previous = _previous;
        _previous = current;
        if (previous is null)
        {
            return;
        }

        double Now(string key) => current.GetValueOrDefault(key);
        double Delta(string key) => Math.Max(0, current.GetValueOrDefault(key) - previous.GetValueOrDefault(key));
        var sample = new MeterSample(
            Round((new DateTimeOffset(at.ToUniversalTime()) - _origin).TotalSeconds),
            Round(Delta("dotnet.process.cpu.time") / Interval.TotalSeconds),
            Round(Now("dotnet.process.memory.working_set") / MB),
            Round(Now("dotnet.gc.last_collection.heap.size") / MB),
            Round(Delta("dotnet.gc.heap.total_allocated") / MB),
            Delta(Gen2Collections),
            Round(Delta("dotnet.gc.pause.time") * 1000),
            Now("dotnet.thread_pool.thread.count"),
            Now("dotnet.thread_pool.queue.length"),
            Delta("dotnet.monitor.lock_contentions"));
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    private static double Round(double value) => Math.Round(value, 2);
}
