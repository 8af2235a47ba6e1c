using PerfReference.Performance;

namespace PerfReference.UnitTests;

/// <summary>The Server-Timing header the services write is the one the load lab reads back.</summary>
public sealed class ServerTimingTests
{
    [Fact]
    public void WhatTheServiceWritesTheLabReadsBack()
    {
        var counters = new PerfCounters();
        counters.CountDbRoundtrip();
        counters.CountDbRoundtrip();
        counters.AddDbTime(TimeSpan.FromMilliseconds(10.5));
        counters.CountDbConnectionOpen();
        counters.AddDbConnectTime(TimeSpan.FromMilliseconds(21.04));
        counters.GrainCallStarted();
        counters.AddGrainTime(TimeSpan.FromMilliseconds(1.26));
        counters.GrainCallAnswered();
        counters.CountPaymentCall();
        counters.AddPaymentTime(TimeSpan.FromMilliseconds(300));

        var header = ServerTiming.Format(counters, TimeSpan.FromMilliseconds(42.04));

        Assert.Equal(new Dictionary<string, double>
        {
            [ServerTiming.App] = 42.0,
            [ServerTiming.Database] = 10.5,
            [ServerTiming.DatabaseConnect] = 21.0,
            [ServerTiming.Grains] = 1.3, // one decimal
            [ServerTiming.Payments] = 300.0,
        }, ServerTiming.Durations(header));
        Assert.Contains("db;dur=10.5;desc=\"2 round trips\"", header);
        Assert.Contains("db-connect;dur=21.0;desc=\"1 opens\"", header);
        Assert.Contains("grains;dur=1.3;desc=\"1 calls, at most 1 at once\"", header);
    }

    [Fact]
    public void ARequestWhoseGrainCallsWereTimedSaysWhereTheirTimeWentInMicroseconds()
    {
        var counters = new PerfCounters();
        var ms = System.Diagnostics.Stopwatch.Frequency / 1000;
        counters.RecordGrainCallSplit(new GrainCallSplit(0, 5 * ms, TimeSpan.FromMilliseconds(1.5), TimeSpan.FromMilliseconds(0.0126)));

        var header = ServerTiming.Format(counters, TimeSpan.FromMilliseconds(6));
        var durations = ServerTiming.Durations(header);

        Assert.Equal(3.487, durations[ServerTiming.GrainLink]);
        Assert.Equal(1.5, durations[ServerTiming.GrainWait]);
        Assert.Equal(0.013, durations[ServerTiming.GrainRun]); // three decimals: a warm grain runs for microseconds
        Assert.Equal(1.5, durations[ServerTiming.GrainLongestWait]);
        Assert.Contains("grain-wait;dur=1.500;desc=\"1 calls on the critical path\"", header);
        Assert.DoesNotContain(ServerTiming.GrainLink, ServerTiming.Format(new PerfCounters(), TimeSpan.FromMilliseconds(6))); // no timed calls, no split
    }

    [Theory]
    [InlineData("cache;desc=\"hit, warm\";dur=0.4, db;dur=5", "cache=0.4 db=5")]  // a comma inside quotes does not split
    [InlineData("total;dur=12.5", "total=12.5")]
    [InlineData("miss, db;dur=abc, ;dur=3, app;dur=7", "app=7")]                 // no duration, a bad one, no name: left out
    [InlineData("", "")]
    [InlineData("db;desc=\"a;b, c\";dur=2", "db=2")]                             // nor a semicolon inside quotes
    [InlineData(" app ; dur = 7 , app;dur=8", "app=8")]                              // spaces around parts; the last duration of a name counts
    [InlineData("x;dur, y;dur=1=2, z;desc=3", "")]                                  // a duration without a value, or with two
    public void DurationsAreReadByMetricName(string header, string expected)
    {
        var durations = ServerTiming.Durations(header);

        Assert.Equal(expected, string.Join(" ", durations.Select(d => $"{d.Key}={d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
    }
}
