using PerfReference.BrowserTests.Walkthrough;
using Xunit.Sdk;
using Xunit.v3;

namespace PerfReference.BrowserTests.Infrastructure;

/// <summary>
/// Runs the test classes in the walkthrough's order, so that each screenshot shows the dashboard as
/// a reader following the tour finds it: the Resources page before the staged payments outage has
/// filled the orders resource with error logs, the breaker last. Classes not listed run after them.
/// </summary>
public sealed class WalkthroughOrder : ITestClassOrderer
{
    private static readonly string[] Steps =
    [
        nameof(ResourcesTests), nameof(TracesTests), nameof(MetricsTests), nameof(ConsoleLogsTests), nameof(LabCommandTests), nameof(BreakerTests), nameof(SecretsTests),
    ];

    public IReadOnlyCollection<TTestClass?> OrderTestClasses<TTestClass>(IReadOnlyCollection<TTestClass?> testClasses)
        where TTestClass : ITestClass =>
        testClasses.OrderBy(c => Array.IndexOf(Steps, c?.TestClassSimpleName) is var step and >= 0 ? step : Steps.Length)
            .ThenBy(c => c?.TestClassName, StringComparer.Ordinal)
            .ToArray();
}
