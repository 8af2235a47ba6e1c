using PerfReference.Topology;

namespace PerfReference.LoadLab.Engine;

/// <summary>A duration given to the lab (a command-line option, a field of the serve API), or one clear line saying how to write it.</summary>
public static class DurationOption
{
    public static TimeSpan Parse(string text, string option) =>
        Durations.Parse(text) ?? throw new LabInputException($"--{option} '{text}' is not a duration; write it like 500ms, 30s, 2m or 1h.");
}
