using System.Net;
using PerfReference.LatencyProxy;
using PerfReference.LoadLab.Processes;

namespace PerfReference.LoadLab.Drills;

/// <summary>The faults a cluster of silos meets besides a crash: a rolling restart, and a silo cut off by its network links.</summary>
public static partial class Faults
{
    /// <summary>How long a silo has to leave the cluster gracefully before it is killed (Kubernetes' default terminationGracePeriodSeconds).</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>How long a restarted silo may take to start and become active before the drill gives up on the rollout.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The silos restarted one at a time, as a deployment rolls them: SIGTERM to a silo (it leaves the cluster gracefully:
    /// its grains deactivate, its membership entry goes to Dead), SIGKILL only if it is still there after
    /// <see cref="GracePeriod"/>; the AppHost's supervisor starts it again, as a ReplicaSet would; the next silo goes only
    /// once the new one is healthy — active in the cluster, so grains are placed on it and its gateway takes clients —
    /// and <paramref name="settle"/> has passed, the time the orders client takes to find a new gateway (its gateway list
    /// refresh). The fault is over when the last replacement has settled.
    /// </summary>
    public static Fault RestartSilosOneByOne(TimeSpan settle) => async (_, ct) =>
    {
        var silos = DrillTargets.Silos();
        if (silos.Count == 0)
        {
            throw new DrillException("No silo of this checkout was found: is the topology running on this machine?");
        }

        var start = DateTimeOffset.UtcNow;
        var known = silos.ToHashSet();
        var steps = new List<string>();
        using var probes = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var silo in silos)
        {
            var stopping = DateTimeOffset.UtcNow;
            LocalProcesses.Signal(silo, LocalProcesses.SigTerm);
            var graceful = await ExitsWithinAsync(silo, GracePeriod, ct);
            if (!graceful)
            {
                SignalIfRunning(silo, LocalProcesses.SigKill);
            }

            var left = DateTimeOffset.UtcNow;
            var replacement = await JoinedAsync(known, probes, ct);
            known.Add(replacement);
            steps.Add($"pid {silo} {(graceful ? "left" : "was killed after the grace period")} in {(left - stopping).TotalSeconds:0.#} s, " +
                      $"pid {replacement} active {(DateTimeOffset.UtcNow - left).TotalSeconds:0.#} s later");
            await Task.Delay(settle, ct);
        }

        return new FaultWindow(start, DateTimeOffset.UtcNow,
            $"a rolling restart of the {silos.Count} silos, one at a time (SIGTERM, started again by the supervisor, the next once the new one was active and {settle.TotalSeconds:0} s had passed): " +
            string.Join("; ", steps));
    };

    /// <summary>
    /// A silo cut off from the cluster for <paramref name="length"/> by its network links (the latency proxies inside it
    /// on the silo and gateway ports it advertises; <see cref="LinkCut"/>): the other silo's messages and the orders
    /// client's calls to it are dropped, as in a network partition — the process runs on and still reaches Redis and
    /// PostgreSQL. Only under a network profile do the silos run behind links.
    /// </summary>
    public static Fault CutSiloOff(TimeSpan length) => async (_, ct) =>
    {
        var silo = DrillTargets.Silos().FirstOrDefault();
        if (silo == 0)
        {
            throw new DrillException("No silo of this checkout was found: is the topology running on this machine?");
        }

        var links = DrillTargets.SiloLinks(silo);
        if (links.Count == 0)
        {
            throw new DrillException(
                "The silos run without network links (network profile loopback), and a silo is cut off by its links: start the system under a profile " +
                "(env 'Parameters__network-profile=seed' bash scripts/run.sh).");
        }

        var start = DateTimeOffset.UtcNow;
        await Task.WhenAll(links.Select(link => LinkCut.SendAsync(new IPEndPoint(IPAddress.Loopback, link.Port), length, ct)));
        await Task.Delay(length, ct);
        return new FaultWindow(start, DateTimeOffset.UtcNow,
            $"the links of a silo (pid {silo}: {string.Join(" and ", links.Select(link => $"{link.Name} on port {link.Port}"))}) cut for {length.TotalSeconds:0} s, everything sent through them dropped");
    };

    private static async Task<bool> ExitsWithinAsync(int pid, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (LocalProcesses.IsRunning(pid))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }

        return true;
    }

    /// <summary>A silo process none of <paramref name="known"/> is, once its readiness probe answers 200 (Orleans: active in the cluster).</summary>
    private static async Task<int> JoinedAsync(IReadOnlySet<int> known, HttpClient probes, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + JoinTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var silo in DrillTargets.Silos().Where(pid => !known.Contains(pid)))
            {
                if (DrillTargets.HealthOf(silo) is { } health && await AnswersAsync(probes, health, ct))
                {
                    return silo;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }

        throw new DrillException($"No new silo became active within {JoinTimeout.TotalMinutes:0} min of the last one leaving: is the AppHost's supervisor running?");
    }

    private static async Task<bool> AnswersAsync(HttpClient probes, Uri health, CancellationToken ct)
    {
        try
        {
            using var response = await probes.GetAsync(health, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception error) when (error is HttpRequestException || (error is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }
}
