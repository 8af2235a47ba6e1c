using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PerfReference.LoadLab.Results;

namespace PerfReference.LoadLab.Profiling;

/// <summary>
/// Takes a heap dump of a process with <c>dotnet-gcdump</c> (the repository's tool manifest), as an
/// engineer chasing a leak would, and reads its report: the types that hold the heap. The dump
/// itself (a .gcdump beside the result file, not committed) opens in Visual Studio or PerfView for
/// the paths that keep them alive. Collecting forces a full collection: take it between phases.
/// </summary>
public static partial class HeapDump
{
    public const int LargestTypes = 6;

    public static async Task<HeapDumpSummary> CollectAsync(string variant, int processId, string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ToolAsync(["collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", path], ct);
        var report = await ToolAsync(["report", path], ct);
        return Parse(variant, path, report);
    }

    /// <summary>The report's totals ("1,870,028  GC Heap bytes") and its types ("56  500,000  TypeName  [Assembly]": mean size, count), largest total first.</summary>
    public static HeapDumpSummary Parse(string variant, string path, string report)
    {
        long Total(string what) => report.Split('\n').Select(line => line.Trim()).Where(line => line.EndsWith(what, StringComparison.Ordinal))
            .Select(line => Number(line[..^what.Length])).FirstOrDefault();
        // A line is one type in one size bucket ("(Bytes > 10K)"): its objects' mean size and their count.
        // A type's bytes are the sum over its buckets of size × count.
        var types = report.Split('\n')
            .Select(line => TypeLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (Type: SizeBucket().Replace(match.Groups["type"].Value.Trim(), ""),
                Bytes: Number(match.Groups["bytes"].Value) * Number(match.Groups["count"].Value), Objects: Number(match.Groups["count"].Value)))
            .GroupBy(line => line.Type, StringComparer.Ordinal)
            .Select(type => new HeapType(type.Key, type.Sum(line => line.Bytes), type.Sum(line => line.Objects)))
            .OrderByDescending(type => type.Bytes).ThenBy(type => type.Type, StringComparer.Ordinal)
            .Take(LargestTypes)
            .ToArray();
        return new HeapDumpSummary(variant, path, Total("GC Heap bytes"), Total("GC Heap objects"), types);
    }

    private static long Number(string text) => long.Parse(text.Trim().Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task<string> ToolAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Find() ?? Environment.CurrentDirectory, // where the tool manifest is
        };
        start.ArgumentList.Add("dotnet-gcdump");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var tool = Process.Start(start) ?? throw new LabInputException("Cannot start dotnet-gcdump.");
        var output = tool.StandardOutput.ReadToEndAsync(ct);
        var error = tool.StandardError.ReadToEndAsync(ct);
        await tool.WaitForExitAsync(ct);
        return tool.ExitCode == 0
            ? await output
            : throw new LabInputException($"dotnet-gcdump {string.Join(' ', start.ArgumentList.Skip(1))} failed ({tool.ExitCode}): {await error}{await output} — run dotnet tool restore first.");
    }

    [GeneratedRegex(@"\s*\(Bytes > [^)]*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SizeBucket();

    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+?)\s+\[[^\]]*\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeLine();
}
