using PerfReference.LoadLab.Engine;

namespace PerfReference.LoadLab.Drills;

/// <summary>The load of a drill that names none: on the command line, in the serve API and in the dashboard's commands.</summary>
public static class DrillDefaults
{
    /// <summary>Checkouts a second: busy enough that a fault always catches some in flight.</summary>
    public const double Rate = 8;

    /// <summary>Long enough for the longest fault (the provider's 30 s outage) and the recovery after it.</summary>
    public const string Duration = "75s";

    public static DrillOptions Options(Drill drill, double rate, string duration, DrillTopology topology)
    {
        if (rate is not (> 0 and <= 200) || double.IsNaN(rate))
        {
            throw new LabInputException($"--rate {rate} is not a drill's rate; give checkouts per second above 0 and at most 200.");
        }

        var length = Durations.Parse(duration, "duration");
        return length < TimeSpan.FromSeconds(6)
            ? throw new LabInputException($"--duration {duration} is too short: a drill needs a baseline, the fault and the time after it.")
            : new DrillOptions(drill, rate, length, topology);
    }
}
