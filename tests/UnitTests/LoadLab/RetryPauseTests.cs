using PerfReference.LoadLab.Drills;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// How long a drill's client waits before it tries a checkout again: never sooner than the server asked, and spread at
/// random so that the clients one fault failed together do not all come back together.
/// </summary>
public sealed class RetryPauseTests
{
    [Fact]
    public void AfterRetryAfterTheClientsWaitAtLeastThatAndAtMostTwiceThatSpreadOverTheWholeRange()
    {
        var random = new Random(25);
        var pauses = Enumerable.Range(0, 1_000).Select(_ => RetryPause.After(attempt: 3, TimeSpan.FromSeconds(1), random)).ToArray();

        Assert.All(pauses, pause => Assert.InRange(pause, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        // A thousand clients refused at the same moment come back spread over the whole second, not in one burst.
        Assert.Equal(10, pauses.Select(pause => (int)((pause.TotalSeconds - 1) * 10)).Distinct().Count());
    }

    [Theory]
    [InlineData(1, 250, 500)]
    [InlineData(2, 500, 1_000)]
    [InlineData(4, 2_000, 4_000)]
    [InlineData(5, 2_500, 5_000)]   // 0.5 s doubling, at most 5 s
    [InlineData(10, 2_500, 5_000)]
    public void WithoutRetryAfterTheBackoffDoublesUpToFiveSecondsAndAtLeastHalfOfItIsWaited(int attempt, int fromMs, int toMs)
    {
        var random = new Random(attempt);

        var pauses = Enumerable.Range(0, 200).Select(_ => RetryPause.After(attempt, retryAfter: null, random)).ToArray();

        Assert.All(pauses, pause => Assert.InRange(pause.TotalMilliseconds, fromMs, toMs));
        Assert.True(pauses.Distinct().Count() > 100, "spread, not one value");
    }
}
