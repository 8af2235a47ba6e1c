namespace PerfReference.BrowserTests.Infrastructure;

/// <summary>
/// Where the tests' screenshots go: always under the test output (screenshots/), and also into the
/// walkthrough's folder when <see cref="WalkthroughVariable"/> names one (scripts/walkthrough.sh sets it).
/// </summary>
public static class Screenshots
{
    public const string WalkthroughVariable = "PERFREF_WALKTHROUGH_DIR";

    public static string OutputDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>The walkthrough's folder, or null when this run only tests.</summary>
    public static string? WalkthroughDirectory => Environment.GetEnvironmentVariable(WalkthroughVariable) is { Length: > 0 } directory
        ? Directory.CreateDirectory(directory).FullName
        : null;

    public static string PathFor(string name) => Path.Combine(OutputDirectory, $"{name}.png");
}
