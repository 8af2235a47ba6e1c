using Microsoft.Extensions.Time.Testing;
using PerfReference.OrdersService.Infrastructure;

namespace PerfReference.UnitTests;

/// <summary>
/// The payment worker traces its first round and then one every so often: under a checkout load its rounds are most of
/// the spans the dashboard receives; after a quiet spell the next round, the one that settles a lone checkout, is traced.
/// </summary>
public sealed class TracedRoundsTests
{
    [Fact]
    public void TheFirstRoundIsTracedThenOneRoundInEachInterval()
    {
        var clock = new FakeTimeProvider();
        var rounds = new TracedRounds(TimeSpan.FromSeconds(10), clock);

        // A round every half second for a minute: the first, then the first one ten seconds after the last traced.
        var traced = new List<double>();
        for (var i = 0; i < 120; i++)
        {
            if (rounds.Next())
            {
                traced.Add(i * 0.5);
            }

            clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal([0, 10, 20, 30, 40, 50], traced);
    }

    [Fact]
    public void AfterAQuietSpellTheNextRoundIsTraced()
    {
        var clock = new FakeTimeProvider();
        var rounds = new TracedRounds(TimeSpan.FromSeconds(10), clock);
        Assert.True(rounds.Next());

        clock.Advance(TimeSpan.FromMinutes(3));

        Assert.True(rounds.Next());
        Assert.False(rounds.Next());
    }

    [Fact]
    public void WithNoIntervalEveryRoundIsTraced()
    {
        var rounds = new TracedRounds(TimeSpan.Zero, new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(rounds.Next()));
    }
}
