namespace PerfReference.LoadLab;

/// <summary>Input the lab cannot use (a scenario, rate, duration, profile, folder, text file): one clear line, exit code 2.</summary>
public sealed class LabInputException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
