using System.Globalization;
using PerfReference.LoadLab.Results;
using PerfReference.Performance;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Report;

/// <summary>
/// The figures of the capacity plan (docs/scaling.md, written as docs/log/scaling.md), named in its text as
/// <c>{{scaling: figure [request] [naive] [×N]}}</c>: what one request costs in CPU, from the results, and the sizing
/// arithmetic over it against the production overlay (<see cref="ProductionOverlay"/>).
/// <para>
/// Requests: <c>checkout</c> — the seed checkout, everything optimized, from the newest phased capacity search on loopback
/// (<c>variants[].atCapacity</c>: a service's cores ÷ the rate it held); <c>poll</c>, <c>summary</c>, <c>page</c> — the
/// optimized (or, with <c>naive</c>, the naive) variant of connection-pooling, missing-index and unbounded-results, the
/// median over the entry's current loopback runs (<c>variants[].runtime</c>, the runs the entry's page quotes); and
/// <c>pgbouncer</c> — connection-pooling's current runs through PgBouncer, as a range.
/// </para>
/// <para>
/// Figures of a request: orders-cpu, silo-cpu, db-cpu, sessions, per-core, db-ratio, source; of the capacity search:
/// broke-at, broke-because, orders-cores, machine, cores. Settings: checkouts, polls, orders-request,
/// orders-limit, target, pod-carries, min-pods, max-pods, silos, silo-request, orders-pool, silo-pool, connections,
/// redis-ops. The arithmetic, at the target load or <c>×N</c> times it: orders-need, orders-ms, orders-pods, silo-need,
/// silo-ms, silo-cores, db-need, db-cores, db-cores-flat, naive-db-cores.
/// </para>
/// <para>
/// A figure per request is shown to a tenth of a millisecond (whole milliseconds from ten up), and the arithmetic is done
/// on the figures as shown, so that a reader can redo every sum. Pods = ⌈CPU ms a second ÷ (1,000 × the pod's request ×
/// the target utilisation)⌉, as the HorizontalPodAutoscaler sizes them.
/// </para>
/// </summary>
public sealed class ScalingPlan(LogInputs inputs)
{
    /// <summary>The placeholders' subject: <c>{{scaling: …}}</c>.</summary>
    public const string Subject = "scaling";

    /// <summary>The target load, a shop's daily peak: a choice of the plan, not a measurement.</summary>
    public const int CheckoutsPerSecond = 300;

    public const int PollsPerSecond = 3_000;

    /// <summary>
    /// Redis operations per checkout, from the code: the customer grain's state written once by the Orleans Redis storage
    /// (src/CustomerGrains/Customers/CustomerGrain.cs, WriteStateAsync) and the product cache read once
    /// (src/OrdersService/Caching/ProductCache.cs). A status poll makes none.
    /// </summary>
    public const int RedisOperationsPerCheckout = 2;

    /// <summary>The most connections an OrdersService pod's pool holds (src/OrdersService/Database/ConnectionPoolOptions.cs, MaxPoolSize).</summary>
    public const int OrdersPoolSize = 20;

    /// <summary>The most a silo's pool holds: Npgsql's default Max Pool Size (the silos set none).</summary>
    public const int SiloPoolSize = 100;

    private const string Checkout = "checkout";
    private const string PgBouncer = "pgbouncer";
    private const string NotMeasured = "(not measured yet)";

    /// <summary>The requests measured by a run, by the name a placeholder gives them: the entry whose optimized variant is that request.</summary>
    private static readonly IReadOnlyDictionary<string, string> RunRequests = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["poll"] = "connection-pooling",
        ["summary"] = "missing-index",
        ["page"] = "unbounded-results",
        [PgBouncer] = "connection-pooling",
    };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string Loopback => NetworkProfile.Loopback.Name;

    /// <summary>The newest phased capacity search of the seed checkout on loopback that recorded what its services spent.</summary>
    private CapacityResult? Search { get; } = inputs.HistoryOf(PerfCatalog.SeedCheckoutScenario).Capacities
        .Where(c => c.Profile == Loopback && c.Mode == CapacityResult.Phased && c.Variants[^1] is { SustainedRate: > 0, AtCapacity.Count: > 0 })
        .MaxBy(c => c.StartedUtc);

    /// <summary>The machine the plan's figures were measured on: the capacity search's, or else the runs'.</summary>
    private MachineInfo? MeasuredOn => Search?.Machine ?? RunRequests.Keys.SelectMany(Runs).Select(r => r.Machine).FirstOrDefault();

    /// <summary>The figure a placeholder names, or null when there is no such figure (the placeholder is then an error).</summary>
    public string? Figure(string figure, string[] words)
    {
        var times = words.Select(Multiple).OfType<int>().DefaultIfEmpty(1).First();
        var request = words.FirstOrDefault(w => w == Checkout || RunRequests.ContainsKey(w));
        var naive = words.Contains("naive");
        return figure switch
        {
            "checkouts" => Whole(CheckoutsPerSecond * times),
            "polls" => Whole(PollsPerSecond * times),
            "orders-request" => Whole(ProductionOverlay.OrdersRequestCores * 1000),
            "orders-limit" => Setting(ProductionOverlay.OrdersLimitCores),
            "target" => Whole(ProductionOverlay.TargetUtilizationPercent),
            "pod-carries" => Setting(ProductionOverlay.OrdersPodCarriesCores),
            "min-pods" => Whole(ProductionOverlay.MinOrdersPods),
            "max-pods" => Whole(ProductionOverlay.MaxOrdersPods),
            "silos" => Whole(ProductionOverlay.Silos),
            "silo-request" => Setting(ProductionOverlay.SiloRequestCores),
            "orders-pool" => Whole(OrdersPoolSize),
            "silo-pool" => Whole(SiloPoolSize),
            "connections" => Whole((ProductionOverlay.MaxOrdersPods * OrdersPoolSize) + (ProductionOverlay.Silos * SiloPoolSize)),
            "redis-ops" => Whole(CheckoutsPerSecond * times * RedisOperationsPerCheckout),
            "machine" => MeasuredOn is { } machine ? Machine(machine) : NotMeasured,
            "cores" => MeasuredOn is { } machine ? Whole(machine.Cores) : NotMeasured,
            "orders-need" => Sum(times, OrdersTerms),
            "orders-ms" => Ms(times, OrdersTerms) is { } ms ? Whole(ms) : NotMeasured,
            "orders-pods" => Pods(Ms(times, OrdersTerms), ProductionOverlay.OrdersPodCarriesCores),
            "silo-need" => Sum(times, SiloTerms),
            "silo-ms" => Ms(times, SiloTerms) is { } ms ? Whole(ms) : NotMeasured,
            "silo-cores" => Pods(Ms(times, SiloTerms), ProductionOverlay.SiloRequestCores * Target),
            "db-need" => Sum(times, DbTerms(naive: false)),
            "db-cores" => Ms(times, DbTerms(naive: false)) is { } ms ? Setting(Math.Round(ms / 1000 / Target, 1)) : NotMeasured,
            "db-cores-flat" => Ms(times, DbTerms(naive: false)) is { } ms ? Setting(Math.Round(ms / 1000, 1)) : NotMeasured,
            "naive-db-cores" => Ms(times, DbTerms(naive: true)) is { } ms ? Setting(Math.Round(ms / 1000, 1)) : NotMeasured,
            _ when request is null => null,
            "orders-cpu" => Cpu(request == Checkout ? Cost(Checkout, TopologyServices.Orders) : OrdersCpu(request, naive)),
            "silo-cpu" when request == Checkout => Search?.Variants[^1].AtCapacity!.FirstOrDefault(c => c.Service == TopologyServices.Silo) is { } silos
                ? $"{Cpu(Cost(Checkout, TopologyServices.Silo))} ({Whole(silos.Processes)} silos)"
                : NotMeasured,
            "db-cpu" when request != Checkout => request == PgBouncer ? Range(request, naive, r => r.DatabaseCpuMsPerRequest, ms => Cpu(Shown(ms))) : Cpu(DbCpu(request, naive)),
            "sessions" when request != Checkout => request == PgBouncer
                ? Range(request, naive, r => r.DatabaseSessionsPerRequest, s => s.ToString("0.000", Invariant))
                : Median(request, naive, r => r.DatabaseSessionsPerRequest) is { } sessions ? sessions.ToString("0.00", Invariant) : NotMeasured,
            "per-core" => PerCore(request),
            "db-ratio" when request is not (Checkout or PgBouncer) => (DbCpu(request, naive: true), DbCpu(request, naive: false)) is ({ } slow, { } fast) && fast > 0
                ? Setting(Math.Round(slow / fast, slow / fast >= 10 ? 0 : 1)) + "×"
                : NotMeasured,
            "source" => Source(request),
            "broke-at" when request == Checkout => Search?.Variants[^1].BrokeAtRate is { } rate ? Figures.Rate(Math.Round(rate)) : NotMeasured,
            "broke-because" when request == Checkout => Search?.Variants[^1].BrokeBecause ?? NotMeasured,
            "orders-cores" when request == Checkout => Search?.Variants[^1].AtCapacity!.FirstOrDefault(c => c.Service == TopologyServices.Orders) is { } orders
                ? Setting((decimal)orders.CpuCores)
                : NotMeasured,
            _ => null,
        };
    }

    private static decimal Target => ProductionOverlay.TargetUtilizationPercent / 100m;

    /// <summary>"×10" in a placeholder: the target load ten times over.</summary>
    private static int? Multiple(string word) =>
        word.StartsWith('×') && int.TryParse(word[1..], NumberStyles.None, Invariant, out var times) && times > 0 ? times : null;

    /// <summary>The current runs of a request's entry on loopback: the plain setup, or the one through PgBouncer.</summary>
    private IReadOnlyList<RunResult> Runs(string request) =>
        inputs.HistoryOf(RunRequests[request]).Quoted
            .FirstOrDefault(s => s.Setup is { ClientProfile: null, IsJourney: false } && s.Setup.Profile == Loopback
                                 && (request == PgBouncer
                                     ? s.Setup.Condition?.Contains("PgBouncer", StringComparison.Ordinal) == true
                                     : s.Setup.Condition is null))
            ?.Current ?? [];

    private IEnumerable<double> Values(string request, bool naive, Func<ServiceRuntime, double?> of) =>
        Runs(request).Select(r => (naive ? r.Variants[0] : r.Variants[^1]).Runtime).OfType<ServiceRuntime>().Select(of).OfType<double>();

    private double? Median(string request, bool naive, Func<ServiceRuntime, double?> of) =>
        Values(request, naive, of).ToArray() is { Length: > 0 } values ? Spread.Of(values).Median : null;

    private string Range(string request, bool naive, Func<ServiceRuntime, double?> of, Func<double, string> format) =>
        Values(request, naive, of).ToArray() is { Length: > 0 } values ? Figures.Range(values, format) : NotMeasured;

    private decimal? OrdersCpu(string request, bool naive) => Shown(Median(request, naive, r => r.CpuMsPerRequest));

    private decimal? DbCpu(string request, bool naive) => Shown(Median(request, naive, r => r.DatabaseCpuMsPerRequest));

    /// <summary>A service's CPU per checkout at the capacity the search found: its cores ÷ the rate held.</summary>
    private decimal? Cost(string request, string service) =>
        request == Checkout && Search is { } search && search.Variants[^1].AtCapacity!.FirstOrDefault(c => c.Service == service) is { } cost
            ? Shown(cost.CpuCores * 1000 / search.Variants[^1].SustainedRate!.Value)
            : null;

    /// <summary>What OrdersService spends a second at the target: the checkouts and the polls, each rate × its CPU per request.</summary>
    private (int Rate, decimal? Cpu)[] OrdersTerms => [(CheckoutsPerSecond, Cost(Checkout, TopologyServices.Orders)), (PollsPerSecond, OrdersCpu("poll", naive: false))];

    /// <summary>What the silos spend: the checkouts (a poll does not reach them).</summary>
    private (int Rate, decimal? Cpu)[] SiloTerms => [(CheckoutsPerSecond, Cost(Checkout, TopologyServices.Silo))];

    /// <summary>What PostgreSQL spends on the polls alone (its CPU per checkout is not measured).</summary>
    private (int Rate, decimal? Cpu)[] DbTerms(bool naive) => [(PollsPerSecond, DbCpu("poll", naive))];

    /// <summary>CPU milliseconds a second: each rate (times the multiple) × its CPU per request, summed; null while one is unmeasured.</summary>
    private static decimal? Ms(int times, (int Rate, decimal? Cpu)[] terms) =>
        terms.All(t => t.Cpu is not null) ? terms.Sum(t => t.Rate * times * t.Cpu!.Value) : null;

    /// <summary>"300 × 4.6 + 3,000 × 1.5 = 5,880": the sum written out.</summary>
    private static string Sum(int times, (int Rate, decimal? Cpu)[] terms) => Ms(times, terms) is { } ms
        ? string.Join(" + ", terms.Select(t => $"{Whole(t.Rate * times)} × {PerRequest(t.Cpu!.Value)}")) + $" = {Whole(ms)}"
        : NotMeasured;

    /// <summary>⌈cores needed ÷ what one pod carries at the autoscaler's target⌉.</summary>
    private static string Pods(decimal? ms, decimal carries) => ms is { } need ? Whole(Math.Ceiling(need / 1000 / carries)) : NotMeasured;

    /// <summary>Requests a second one core of OrdersService carries: as the capacity search measured it, or 1,000 ÷ the CPU ms per request, to two significant figures.</summary>
    private string PerCore(string request)
    {
        if (request == Checkout)
        {
            return Search?.Variants[^1].AtCapacity!.FirstOrDefault(c => c.Service == TopologyServices.Orders)?.RequestsPerCore is { } measured
                ? Whole((decimal)Math.Round(measured))
                : NotMeasured;
        }

        if (OrdersCpu(request, naive: false) is not { } cpu || cpu == 0)
        {
            return NotMeasured;
        }

        var perCore = 1000 / cpu;
        var scale = (decimal)Math.Pow(10, Math.Max(0, Math.Floor(Math.Log10((double)perCore)) - 1));
        return Whole(Math.Round(perCore / scale) * scale);
    }

    /// <summary>A link to each result file the request's figures come from, relative to docs/.</summary>
    private string Source(string request)
    {
        if (request == Checkout)
        {
            return Search is { } search
                ? $"[capacity, {Figures.Rate(search.Variants[^1].SustainedRate!.Value)} checkouts/s held at P99 < {Figures.Millis(search.SloP99Ms)}]({Link(ResultFiles.Capacity, search)})"
                : NotMeasured;
        }

        var runs = Runs(request);
        if (runs.Count == 0)
        {
            return NotMeasured;
        }

        // The runs through PgBouncer are quoted as a range, the others by their median.
        var links = string.Join(", ", runs.Select(r => $"[{r.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)}]({Link(ResultFiles.Runs, r)})"));
        return request == PgBouncer ? $"{Whole(runs.Count)} run{(runs.Count == 1 ? "" : "s")}: {links}"
            : runs.Count == 1 ? $"{RunRequests[request]}, {links}"
            : $"{RunRequests[request]}, median of {Whole(runs.Count)} runs: {links}";
    }

    private static string Link<T>(ResultKind<T> kind, T result) where T : ResultHeader =>
        "../results/" + Path.Combine(kind.Folder, kind.FileOf(result)).Replace('\\', '/');

    private static string Machine(MachineInfo machine) => $"{Whole(machine.Cores)} cores, {machine.MemoryGiB.ToString("0.#", Invariant)} GiB, .NET {machine.Dotnet}";

    /// <summary>A CPU figure as the plan shows it, and so computes with it: tenths of a millisecond, whole ones from ten up.</summary>
    private static decimal? Shown(double? ms) => ms switch
    {
        null => null,
        >= 9.95 => (decimal)Math.Round(ms.Value),
        _ => (decimal)Math.Round(ms.Value, 1),
    };

    private static string Cpu(decimal? shown) => shown switch
    {
        null => NotMeasured,
        0 => "< 0.1",
        _ => PerRequest(shown.Value),
    };

    /// <summary>CPU milliseconds per request: "4.6", "1.0", "36".</summary>
    private static string PerRequest(decimal ms) => ms >= 10 ? Whole(ms) : ms.ToString("0.0", Invariant);

    /// <summary>A setting or a count of cores: "0.35", "2", "4.3", "108".</summary>
    private static string Setting(decimal value) => value >= 100 ? Whole(value) : value.ToString("0.##", Invariant);

    private static string Whole(decimal value) => value.ToString("N0", Invariant);
}
