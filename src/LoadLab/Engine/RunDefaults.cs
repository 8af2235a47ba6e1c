namespace PerfReference.LoadLab.Engine;

/// <summary>The load of a run that names none: on the command line, in the serve API and in the dashboard's commands.</summary>
public static class RunDefaults
{
    /// <summary>Arrivals per second, all variants together.</summary>
    public const double Rate = 20;

    public const string Duration = "30s";

    /// <summary>Load sent first and not recorded (JIT, pools, caches).</summary>
    public const string Warmup = "5s";
}
