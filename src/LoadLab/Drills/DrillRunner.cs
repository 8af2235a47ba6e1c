using System.Diagnostics;
using System.Globalization;
using PerfReference.LoadLab.Engine;
using PerfReference.LoadLab.Results;
using PerfReference.LoadLab.Runs;
using PerfReference.LoadLab.Scenarios;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Drills;

/// <summary>A drill to run: the drill, its load (checkouts per second, for how long), and where the servers listen.</summary>
public sealed record DrillOptions(Drill Drill, double Rate, TimeSpan Duration, DrillTopology Topology)
{
    /// <summary>A checked drill: the load takes the lab's defaults (<see cref="LabDrills"/>) where none is given.</summary>
    public static DrillOptions Create(string drill, double? rate, string? duration, DrillTopology topology)
    {
        var found = DrillCatalog.Require(drill);
        var perSecond = rate ?? LabDrills.Rate;
        if (perSecond is not (> 0 and <= 200) || double.IsNaN(perSecond))
        {
            throw new LabInputException(string.Create(CultureInfo.InvariantCulture, $"--rate {perSecond} is not a drill's rate; give checkouts per second above 0 and at most 200."));
        }

        var length = duration is null ? LabDrills.Duration : DurationOption.Parse(duration, "duration");
        return length < TimeSpan.FromSeconds(6)
            ? throw new LabInputException($"--duration {Durations.Format(length)} is too short: a drill needs a baseline, the fault and the time after it.")
            : new DrillOptions(found, perSecond, length, topology);
    }

    /// <summary>How long the books may take to settle after the load (the payment worker's retries, the reconciler's grace).</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>When the fault comes: after the drill's baseline, and never later than a third of the run.</summary>
    public TimeSpan FaultAt => Drill.Baseline < Duration / 3 ? Drill.Baseline : Duration / 3;

    public string Command() => string.Create(CultureInfo.InvariantCulture,
        $"dotnet run --project src/LoadLab -- drill {Drill.Id} --rate {Rate} --duration {Durations.Format(Duration)}");
}

/// <summary>
/// Runs a drill: open-loop checkouts (a constant arrival rate, each retried by its client as
/// <see cref="DrillCheckouts"/> says), the fault injected after the baseline, the load carried on
/// through it, then the books checked once everything has settled.
/// </summary>
public sealed class DrillRunner(DrillContext context)
{
    public async Task<DrillResult> RunAsync(DrillOptions options, IProgress<string>? progress, CancellationToken ct)
    {
        var books = new Books(context);
        var products = await ScenarioSetups.ProductIdsAsync(context.Orders, 40, ct);
        var admission = await AdmissionProbe.ReadAsync(context.Orders, ct);
        if (admission is { Enabled: false })
        {
            progress?.Report($"admission control is off (the lab's default): this drill measures a service that queues past its capacity; a deployment sheds. Start the system with {LabAdmission.EnabledEnvironment} in its environment to drill it as it is deployed");
        }

        progress?.Report("waiting for the payment worker to settle the drill customers' earlier orders");
        var unsettled = await books.WaitUntilQuietAsync(DrillCheckouts.Customers, options.SettleTimeout, ct);
        if (unsettled > 0)
        {
            throw new DrillException(string.Create(CultureInfo.InvariantCulture,
                $"{unsettled} earlier orders of the drill's customers were still waiting for the payment worker after {options.SettleTimeout.TotalMinutes:0} min: their credits would land in the drill's books. Let the earlier load settle (or restart the system) and run the drill again."));
        }

        progress?.Report("reading the customers' balances before the drill");
        var before = await books.BalancesAsync(DrillCheckouts.Customers, ct);
        var checkouts = new DrillCheckouts(context.Orders, products);
        var run = Guid.NewGuid().ToString("N")[..10];

        var startedUtc = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var total = (long)Math.Floor(options.Rate * options.Duration.TotalSeconds);
        var outcomes = new CheckoutOutcome[total];
        Task<FaultWindow>? fault = null;
        var load = LoadLoop.RunAsync(Pacing.Open(options.Rate, total), new LoadCounters(),
            async arrival => outcomes[arrival.Sequence] = await checkouts.PlaceAsync(arrival.Sequence, run, arrival.Offset, clock, ct),
            ct,
            onDue: arrival =>
            {
                if (fault is null && arrival.Offset >= options.FaultAt)
                {
                    progress?.Report($"injecting the fault: {options.Drill.Title}");
                    fault = Task.Run(() => options.Drill.Fault(options.Topology)(context, ct), ct);
                }
            });

        try
        {
            await load;
        }
        finally
        {
            // The fault ends too, whatever became of the load: none may still be failing the system when the books are read.
            if (fault is not null)
            {
                await Task.WhenAny(fault);
            }
        }

        var window = await (fault ?? throw new DrillException("The run ended before the fault was due: give it a longer --duration."));

        progress?.Report("waiting for the payments to settle and stray authorisations to be released");
        await books.WaitUntilSettledAsync([.. outcomes.Select(o => o.Key)], startedUtc.AddSeconds(-1), options.SettleTimeout, ct);
        var check = await books.CheckAsync(outcomes, before, startedUtc.AddSeconds(-1), ct);

        var (faultStart, faultEnd) = (window.Start - startedUtc, window.End - startedUtc);
        var answers = outcomes.SelectMany(o => o.Answers).GroupBy(a => a, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        return new DrillResult
        {
            Drill = options.Drill.Id,
            Title = options.Drill.Title,
            Expectation = options.Drill.Expectation,
            StartedUtc = startedUtc,
            FinishedUtc = DateTimeOffset.UtcNow,
            Rate = options.Rate,
            DurationSeconds = options.Duration.TotalSeconds,
            Fault = window.What,
            FaultStartSeconds = Math.Round(faultStart.TotalSeconds, 1),
            FaultEndSeconds = Math.Round(faultEnd.TotalSeconds, 1),
            Checkouts = outcomes.Length,
            Accepted = outcomes.Count(o => o.Accepted),
            Refused = outcomes.Count(IsRefused),
            GaveUp = outcomes.Count(GaveUp),
            Retried = outcomes.Count(o => o.Attempts > 1),
            Answers = answers,
            ServerErrorsOtherThan503 = answers.Where(a => a.Key.StartsWith('5') && a.Key != "503").Sum(a => a.Value),
            Books = check.All,
            BaselineP99Ms = Recovery.BaselineP99Ms(outcomes, faultStart),
            RecoverySeconds = Recovery.Seconds(outcomes, faultStart, faultEnd),
            Variants = [.. DrillCheckouts.Variants.Select(variant => VariantOf(variant, [.. outcomes.Where(o => o.Variant == variant)], check, faultStart, faultEnd))],
            Admission = admission?.Describe(),
            Machine = MachineInfo.Current(),
            Commit = RepositoryRoot.GitCommit(),
            Command = options.Command(),
        };
    }

    /// <summary>One variant's share of the drill: its checkouts, how many it gave up, its orders stored unacknowledged, its recovery and its books.</summary>
    private static DrillVariant VariantOf(string variant, IReadOnlyList<CheckoutOutcome> outcomes, DrillBooks books, TimeSpan faultStart, TimeSpan faultEnd) => new(
        variant,
        outcomes.Count,
        outcomes.Count(o => o.Accepted),
        outcomes.Count(IsRefused),
        outcomes.Count(GaveUp),
        books.StoredButUnacknowledged(outcomes),
        Recovery.BaselineP99Ms(outcomes, faultStart),
        Recovery.Seconds(outcomes, faultStart, faultEnd),
        books.ByVariant.GetValueOrDefault(variant) ?? new BooksCheck(0, 0, 0, 0, 0, 0, 0, 0, 0, []));

    /// <summary>Refused for the client's own mistake (4xx): an answer, not a checkout given up.</summary>
    private static bool IsRefused(CheckoutOutcome outcome) => outcome.Status is >= 400 and < 500;

    private static bool GaveUp(CheckoutOutcome outcome) => !outcome.Accepted && !IsRefused(outcome);
}
