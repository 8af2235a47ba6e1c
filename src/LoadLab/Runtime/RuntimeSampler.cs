using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Runtime;

/// <summary>
/// Samples the service's runtime (<c>GET /api/diagnostics/runtime</c>) and PostgreSQL's CPU (from /proc, when the
/// server runs on this machine) while one variant runs on its own: a sample at the start of the phase, one when the
/// measured requests begin, one every <see cref="Interval"/> for the peak working set, and one at the end. What the
/// system does with no load at all — the payment worker's polling, health checks, telemetry, this sampling — is
/// measured for <see cref="IdleWindow"/> before the load starts and taken off the per-request figures: at a few
/// requests a second it would otherwise be most of them.
/// </summary>
public sealed class RuntimeSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Sample> _samples = [];
    private readonly Lock _gate = new();
    private Task? _loop;
    private Sample? _start;
    private Sample? _idleEnd;
    private Sample? _measuredStart;

    private RuntimeSampler(HttpClient http) => _http = http;

    /// <summary>Collects the service's garbage (so every phase starts from the same floor), then takes the first sample.</summary>
    public static async Task<RuntimeSampler> StartAsync(HttpClient http, CancellationToken ct)
    {
        using (var collect = await http.PostAsync("api/diagnostics/full-gc", content: null, ct))
        {
            collect.EnsureSuccessStatusCode();
        }

        var sampler = new RuntimeSampler(http);
        sampler._start = await sampler.TakeAsync(ct);
        sampler._loop = Task.Run(() => sampler.LoopAsync(sampler._stop.Token), CancellationToken.None);
        await Task.Delay(IdleWindow, ct);
        sampler._idleEnd = await sampler.TakeAsync(ct);
        return sampler;
    }

    /// <summary>Marks the start of the measured requests (the warm-up's end): allocations and CPU count from here.</summary>
    public void MeasuredRequestsBegin() => _ = Task.Run(async () =>
    {
        var sample = await TakeAsync(_stop.Token);
        lock (_gate)
        {
            _measuredStart ??= sample;
        }
    });

    /// <summary>The phase's figures, per measured request; null when a sample is missing.</summary>
    public async Task<ServiceRuntime?> StopAsync(long measuredRequests, CancellationToken ct)
    {
        await _stop.CancelAsync();
        await (_loop ?? Task.CompletedTask);
        var end = await TakeAsync(ct);
        Sample[] samples;
        Sample? measuredStart;
        lock (_gate)
        {
            samples = [.. _samples, end];
            measuredStart = _measuredStart;
        }

        if (_start is not { } start || _idleEnd is not { } idleEnd || measuredStart is null || measuredRequests <= 0)
        {
            return null;
        }

        // A figure's growth while measuring, less what it grows by at rest over as long, per measured request.
        var idleSeconds = (idleEnd.Service.TakenUtc - start.Service.TakenUtc).TotalSeconds;
        var measuredSeconds = (end.Service.TakenUtc - measuredStart.Service.TakenUtc).TotalSeconds;
        double? Net(Func<Sample, double?> figure) =>
            figure(end) - figure(measuredStart) - (figure(idleEnd) - figure(start)) / idleSeconds * measuredSeconds is { } net
                ? Math.Round(Math.Max(0, net) / measuredRequests, 3)
                : null;

        return new ServiceRuntime(
            Math.Round(start.Service.WorkingSetBytes / Mib, 1),
            Math.Round(samples.Max(s => s.Service.WorkingSetBytes) / Mib, 1),
            Math.Round(Net(s => s.Service.AllocatedBytes)!.Value),
            Net(s => s.Service.CpuMs)!.Value,
            end.Service.Gen2Collections - measuredStart.Service.Gen2Collections,
            Net(s => s.DatabaseCpuMs),
            Net(s => s.Service.DatabaseSessions));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await (_loop ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private const double Mib = 1024 * 1024;

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, ct);
                var sample = await TakeAsync(ct);
                lock (_gate)
                {
                    _samples.Add(sample);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // A sample lost under load is a gap in the peak, not a reason to stop the run.
            }
        }
    }

    private async Task<Sample> TakeAsync(CancellationToken ct)
    {
        var service = await _http.GetFromJsonAsync("api/diagnostics/runtime", RuntimeJsonContext.Default.RuntimeSample, ct)
            ?? throw new JsonException("The runtime sample was empty.");
        // The answering backend's parent is the postmaster (through PgBouncer too: the backend is PostgreSQL's).
        var databaseCpu = ProcessCpu.ParentOf(service.DatabaseBackendPid) is { } postmaster ? ProcessCpu.TreeMilliseconds(postmaster) : null;
        return new Sample(service, databaseCpu);
    }

    private sealed record Sample(RuntimeSample Service, double? DatabaseCpuMs);
}

/// <summary>The service's runtime samples, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RuntimeSample))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
