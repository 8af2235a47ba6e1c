using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PerfReference.LoadLab.Engine;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// Before a measurement the lab waits for the payments an earlier load left to the worker: until none is left, until the
/// count stops falling, or until its limit — and says what was left, so a run on an unsettled system is kept apart.
/// </summary>
public sealed class EarlierLoadTests
{
    [Fact]
    public async Task ItWaitsWhileTheBacklogFallsAndEndsAtRest()
    {
        var outbox = new Outbox(3_000, 1_200, 40, 0);
        var reports = new List<string>();

        var left = await outbox.Wait().SettleAsync(outbox.Client, new Synchronous(reports.Add), CancellationToken.None);

        Assert.Equal(0, left);
        Assert.Equal(4, outbox.Looks);
        Assert.Contains(reports, report => report.StartsWith("3,000 payments of an earlier load still settling", StringComparison.Ordinal));
        Assert.Null(EarlierLoad.Condition(left));
    }

    [Fact]
    public async Task ABacklogThatStopsFallingEndsTheWaitAndIsRecordedAsTheRunsCondition()
    {
        // The provider refuses or is away: 25 payments stay due however long the lab waits.
        var outbox = new Outbox([500, 25, .. Enumerable.Repeat(25, 100)]);

        var left = await outbox.Wait().SettleAsync(outbox.Client, progress: null, CancellationToken.None);

        Assert.Equal(25, left);
        // 20 s at a look every 2 s after the count last fell, not the whole limit.
        Assert.Equal(12, outbox.Looks);
        Assert.Equal("25 payments of an earlier load still settling at the start", EarlierLoad.Condition(left));
    }

    [Fact]
    public async Task ABacklogStillFallingAtTheLimitEndsTheWait()
    {
        var outbox = new Outbox([.. Enumerable.Range(0, 1_000).Select(i => 60_000 - 20 * i)]);

        var left = await outbox.Wait(limit: TimeSpan.FromMinutes(1)).SettleAsync(outbox.Client, progress: null, CancellationToken.None);

        Assert.Equal(31, outbox.Looks);
        Assert.Equal(60_000 - 20 * 30, left);
    }

    [Fact]
    public async Task AServiceThatDoesNotReportItsOutboxIsNotWaitedFor()
    {
        var outbox = new Outbox(HttpStatusCode.NotFound);

        var left = await outbox.Wait().SettleAsync(outbox.Client, progress: null, CancellationToken.None);

        Assert.Null(left);
        Assert.Equal(1, outbox.Looks);
        Assert.Null(EarlierLoad.Condition(left));
    }

    /// <summary>OrdersService's payments report, one count per look; each look moves the clock on by the poll interval.</summary>
    private sealed class Outbox : HttpMessageHandler
    {
        private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
        private readonly int[] _counts;
        private readonly HttpStatusCode _status = HttpStatusCode.OK;
        private readonly FakeTimeProvider _clock = new();

        public Outbox(params int[] counts) => (_counts, Client) = (counts, new HttpClient(this) { BaseAddress = new Uri("http://orders/") });

        public Outbox(HttpStatusCode status) : this(0) => _status = status;

        public HttpClient Client { get; }

        public int Looks { get; private set; }

        /// <summary>No real pause between looks: the handler's clock stands for it.</summary>
        public EarlierLoad Wait(TimeSpan? limit = null) => new(_clock) { PollInterval = TimeSpan.Zero, Limit = limit ?? TimeSpan.FromMinutes(15) };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/" + EarlierLoad.PaymentsPath, request.RequestUri!.AbsolutePath);
            var count = _counts[Math.Min(Looks, _counts.Length - 1)];
            if (Looks++ > 0)
            {
                _clock.Advance(Poll);
            }

            return Task.FromResult(new HttpResponseMessage(_status)
            {
                Content = new StringContent($$"""{"circuit":"closed","circuitState":0,"outstandingPayments":{{count}}}""", Encoding.UTF8, "application/json"),
            });
        }
    }

    private sealed class Synchronous(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
