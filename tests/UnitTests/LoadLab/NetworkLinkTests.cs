using System.Net;
using System.Net.Sockets;
using System.Text;
using PerfReference.LatencyProxy;
using PerfReference.LatencyProxy.Calibration;
using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Report;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The links of a running topology, found from their processes' command lines and environments; their round trips,
/// probed beside the load; the 20 % rule that marks a run; and what the log says about them.
/// </summary>
public sealed class NetworkLinkTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "LoadLab", "Fixtures");
    private readonly string _directory = Directory.CreateTempSubdirectory("perfref-links-").FullName;

    [Fact]
    public void AStandaloneLinkIsItsListenPortAndProfileNamedByItsResource()
    {
        var arguments = "/work/main/src/LatencyProxy/bin/Release/net10.0/PerfReference.LatencyProxy\0--listen\031442\0--upstream\0127.0.0.1:31440\0--profile\0seed\0"
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var environment = LocalProcesses.ParseEnvironment("PATH=/usr/bin\0OTEL_SERVICE_NAME=cache-link\0OTEL_RESOURCE_ATTRIBUTES=service.instance.id=czudrnxn\0");

        var links = TopologyLinks.Of(TopologyServices.NetworkLinks, arguments, environment);

        Assert.Equal([new NetworkLink("cache-link", 31442, NetworkProfile.Seed)], links);
        Assert.Equal("service.instance.id=czudrnxn", environment["OTEL_RESOURCE_ATTRIBUTES"]); // a value may hold '='
    }

    [Fact]
    public void ASiloUnderAProfileRunsItsSiloAndGatewayLinksOnTheAdvertisedPorts()
    {
        var environment = LocalProcesses.ParseEnvironment(
            "OTEL_SERVICE_NAME=silo\0Orleans__Endpoints__GatewayPort=31450\0PerfReference__NetworkProfile=cross-zone\0Orleans__Endpoints__SiloPort=31451\0");

        var links = TopologyLinks.Of(TopologyServices.Silo, ["/work/main/src/CustomerGrains/bin/Release/net10.0/PerfReference.CustomerGrains"], environment);

        Assert.Equal([new NetworkLink("silo-link", 31451, NetworkProfile.CrossZone), new NetworkLink("gateway-link", 31450, NetworkProfile.CrossZone)], links);
    }

    [Theory]
    [InlineData("silo", "", "PerfReference__NetworkProfile=loopback\0Orleans__Endpoints__SiloPort=1\0Orleans__Endpoints__GatewayPort=2\0")] // loopback: no proxies
    [InlineData("silo", "", "Orleans__Endpoints__SiloPort=1\0Orleans__Endpoints__GatewayPort=2\0")]                                      // no profile (tests, Kubernetes)
    [InlineData("network-links", "PerfReference.LatencyProxy\0measure", "OTEL_SERVICE_NAME=x\0")]                                        // the calibration, not a link
    [InlineData("network-links", "PerfReference.LatencyProxy\0--listen\05190\0--upstream\0127.0.0.1:5180\0--profile\0lan", "")]           // no such profile
    [InlineData("orders", "PerfReference.OrdersService\0--listen\05190\0--profile\0seed", "")]                                           // not a link
    public void ProcessesThatRunNoLinkGiveNone(string service, string commandLine, string environ) =>
        Assert.Empty(TopologyLinks.Of(service, commandLine.Split('\0'), LocalProcesses.ParseEnvironment(environ)));

    [Fact]
    public void AStandaloneLinkWithoutAResourceNameIsStillALink() =>
        Assert.Equal("link", Assert.Single(TopologyLinks.Of(TopologyServices.NetworkLinks,
            ["PerfReference.LatencyProxy", "--listen", "5190", "--upstream", "127.0.0.1:5180", "--profile", "wan"], LocalProcesses.ParseEnvironment(""))).Name);

    [Fact]
    public void EveryStandaloneLinkIsReadFromTheOneProcessThatRunsThemAll()
    {
        string[] arguments =
        [
            "/usr/share/dotnet/dotnet", "/work/main/src/LatencyProxy/bin/Release/net10.0/PerfReference.LatencyProxy.dll",
            "--link", "orders-link", "--listen", "5190", "--upstream", "127.0.0.1:5180", "--profile", "mobile",
            "--link", "postgres-link", "--listen", "31441", "--upstream", "127.0.0.1:31440", "--profile", "seed",
            "--link", "cache-link", "--listen", "31442", "--upstream", "localhost:31443", "--profile", "seed",
        ];

        Assert.Equal(TopologyServices.NetworkLinks, ServiceProcesses.Identify(arguments, repositoryRoot: null));
        Assert.Equal(
            [new NetworkLink("orders-link", 5190, NetworkProfile.Mobile), new NetworkLink("postgres-link", 31441, NetworkProfile.Seed), new NetworkLink("cache-link", 31442, NetworkProfile.Seed)],
            TopologyLinks.Of(TopologyServices.NetworkLinks, arguments, LocalProcesses.ParseEnvironment("OTEL_SERVICE_NAME=network-links\0")));
        Assert.Equal("mobile", ClientLink.ProfileOf(arguments, OrdersApiAddress.ClientLinkPort));
    }

    [Fact]
    public void ALinksCommandLineReadsBackAsTheLinkItWasWrittenFrom()
    {
        LinkSpec[] links = [new("orders-link", 5190, "127.0.0.1:5180", NetworkProfile.Mobile), new("cache-link", 31442, "127.0.0.1:31443", NetworkProfile.Seed)];

        Assert.Equal(links, LinkSpec.Parse([.. links.SelectMany(link => link.Arguments)]));
        Assert.Equal([new LinkSpec("cache-link", 1, "127.0.0.1:2", NetworkProfile.Wan)], LinkSpec.Parse(["--listen", "1", "--upstream", "127.0.0.1:2", "--profile", "wan"], "cache-link"));
    }

    [Theory]
    [InlineData("--listen 1 --upstream 127.0.0.1:2", "--profile needs one of")]
    [InlineData("--listen x --upstream 127.0.0.1:2 --profile seed", "--listen needs a port")]
    [InlineData("--listen 1 --upstream nowhere --profile seed", "--upstream needs HOST:PORT")]
    [InlineData("--link a --listen 1 --listen 2 --upstream 127.0.0.1:2 --profile seed", "--listen given twice")]
    [InlineData("--listen 1 --upstream 127.0.0.1:2 --profile lan", "Unknown network profile 'lan'")]
    [InlineData("--listen 1 --upstream 127.0.0.1:2 --profile seed --verbose yes", "Unexpected argument '--verbose'")]
    [InlineData("measure", "No link given")]
    public void ACommandLineThatIsNotALinkSaysWhy(string commandLine, string why) =>
        Assert.Contains(why, Assert.Throws<ArgumentException>(() => LinkSpec.Parse(commandLine.Split(' '))).Message);

    [Theory]
    [InlineData(6.01, 5, true)]
    [InlineData(6.0, 5, false)] // exactly 20 % over is within the rule
    [InlineData(5.5, 5, false)]
    [InlineData(0.61, 0.5, true)]
    [InlineData(0.6, 0.5, false)]
    [InlineData(48.5, 40, true)]
    [InlineData(0.2, 0, false)] // a profile that adds nothing has nothing to exceed
    public void ALinkIsOverItsProfileWhenItsMedianExceedsItByMoreThanTwentyPercent(double medianMs, double profileMs, bool over) =>
        Assert.Equal(over, Link("postgres-link", profileMs, medianMs).OverProfile);

    [Fact]
    public void ALinkThatNeverAnsweredIsNotOverItsProfile() =>
        Assert.False((Link("postgres-link", 5, 0) with { Probes = 0, MedianMs = null, P99Ms = null }).OverProfile);

    [Fact]
    public void ARunIsMarkedWhenAnyOfItsLinksIsOverItsProfileBesideTheConditionItWasGiven()
    {
        LinkRoundTrip[] within = [Link("orders-link", 5, 5.4), Link("postgres-link", 5, 5.9)];
        LinkRoundTrip[] over = [Link("orders-link", 5, 5.4), Link("postgres-link", 5, 6.4)];

        Assert.Null(LinkRoundTrip.Mark(null, within));
        Assert.Null(LinkRoundTrip.Mark(null, []));
        Assert.Equal("through PgBouncer", LinkRoundTrip.Mark("through PgBouncer", within));
        Assert.Equal("links slower than their profile by more than 20 %", LinkRoundTrip.Mark(null, over));
        Assert.Equal("through PgBouncer; links slower than their profile by more than 20 %", LinkRoundTrip.Mark("through PgBouncer", over));
    }

    [Fact]
    public async Task TheProberMeasuresEachLinksRoundTripThroughItsProxy()
    {
        var ct = TestContext.Current.CancellationToken;
        var profile = new NetworkProfile("test-20ms", TimeSpan.FromMilliseconds(20));
        await using var server = EchoServer.Start();
        await using var proxy = TcpLatencyProxy.Start(0, server.EndPoint, profile);
        await using var prober = LinkProber.Start([new NetworkLink("postgres-link", proxy.Port, profile)], TimeSpan.FromMilliseconds(50));

        while (prober.Answered < 3)
        {
            await Task.Delay(20, ct);
        }

        var link = Assert.Single(await prober.StopAsync());
        Assert.Equal(("postgres-link", proxy.Port, "test-20ms", 20.0, 0, null), (link.Link, link.Port, link.Profile, link.ProfileMs, link.Failures, link.Error));
        Assert.True(link.Probes >= 3, $"{link.Probes} probes");
        Assert.True(link.MedianMs >= 20 && link.P99Ms >= link.MedianMs, $"median {link.MedianMs} ms, p99 {link.P99Ms} ms through a 20 ms link");
    }

    [Fact]
    public async Task ALinkThatDoesNotAnswerIsGivenUpAfterThreeFailuresInARow()
    {
        int port;
        using (var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)closed.LocalEndPoint!).Port; // nothing listens there: each probe is refused
        }

        await using var prober = LinkProber.Start([new NetworkLink("cache-link", port, NetworkProfile.Seed)], TimeSpan.FromMilliseconds(10));
        await prober.Completion.WaitAsync(TestContext.Current.CancellationToken);

        var link = Assert.Single(await prober.StopAsync());
        Assert.Equal((0, LinkProber.GiveUpAfter, null, false), (link.Probes, link.Failures, link.MedianMs, link.OverProfile));
        Assert.StartsWith("no longer probed after 3 failures in a row", link.Error);
    }

    [Fact]
    public async Task WithNoLinksNothingIsProbed()
    {
        await using var prober = LinkProber.Start([], LinkProber.DefaultInterval);

        Assert.Empty(await prober.StopAsync());
    }

    [Fact]
    public async Task TheLogShowsEachLinksRoundTripUnderTheRunAndTheMarkBesideItsFigures()
    {
        var log = await GenerateAsync(Run("seed", [Link("orders-link", 5, 5.41, port: 5190), Link("postgres-link", 5, 6.4, port: 31441) with { Failures = 2 }]));

        Assert.Contains("### Measured: profile `seed`, 20 requests/s, links slower than their profile by more than 20 %\n", log);
        Assert.Contains("Network links during the load, each probed beside it at a low rate", log);
        Assert.Contains("| link | port | profile | set ms | probes | failed | median ms | p99 ms | median ÷ set |", log);
        Assert.Contains("| orders-link | 5190 | `seed` | 5.00 | 150 | 0 | 5.41 | 9.00 | 1.08 |", log);
        Assert.Contains("| postgres-link | 31441 | `seed` | 5.00 | 150 | 2 | 6.40 | 9.00 | 1.28 **over** |", log);
    }

    [Fact]
    public async Task ARunWithinItsProfileIsNotMarkedAndALoopbackRunOrAnOlderFileSaysNothingOfLinks()
    {
        var within = await GenerateAsync(Run("seed", [Link("orders-link", 5, 5.41)]));
        var loopback = await GenerateAsync(Run("loopback", []));
        var unprobed = await GenerateAsync(Run("seed", []));

        Assert.Contains("### Measured: profile `seed`, 20 requests/s\n", within);
        Assert.Contains("| orders-link |", within);
        Assert.DoesNotContain("Network links", loopback);
        Assert.Contains("Network links: none of this checkout was found on the machine to probe, though the run names the profile `seed`.", unprobed);
        Assert.DoesNotContain("Network links", ResultSamples.Log(Path.Combine(Fixtures, "results"), Path.Combine(_directory, "before-probes"))); // files from before the probes
    }

    [Fact]
    public void ASweepShowsItsLinksAndItsMark()
    {
        LinkRoundTrip[] links = [Link("orders-link", 2, 3.1) with { Profile = "cross-zone" }];
        var sweep = SweepTests.Sweep([1], "cross-zone", [new("naive", 1, 0, 23, 400, 0, 20, 45, 60, 70, 0)]) with
        {
            Links = links,
            Condition = LinkRoundTrip.Mark(null, links),
        };
        var md = new StringBuilder();

        SweepSections.Append(md, [sweep]);

        Assert.Contains("### Concurrency sweep: profile `cross-zone`, closed loop, links slower than their profile by more than 20 %", md.ToString());
        Assert.Contains("| orders-link | 5190 | `cross-zone` | 2.00 | 150 | 0 | 3.10 | 9.00 | 1.55 **over** |", md.ToString());
    }

    [Fact]
    public async Task LinksSurviveTheResultFile()
    {
        var run = Run("seed", [Link("postgres-link", 5, 6.4) with { Error = "no longer probed" }]);
        var path = await ResultFiles.Runs.In(Path.Combine(_directory, "roundtrip")).WriteAsync(run, TestContext.Current.CancellationToken);

        var read = ResultFiles.Runs.In("").Read(path);

        Assert.Equal(run.Links, read.Links);
        Assert.Equal(run.Condition, read.Condition);
    }

    private static LinkRoundTrip Link(string name, double profileMs, double medianMs, int port = 5190) =>
        new(name, port, "seed", profileMs, 150, 0, medianMs, 9);

    private static RunResult Run(string profile, LinkRoundTrip[] links) =>
        ResultSamples.Make("n-plus-one-db", profile, new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero),
            ("naive", "naive", 1000, 201), ("optimized", "naive, n-plus-one-db=optimized", 12, 2)) with
        {
            Links = links,
            Condition = LinkRoundTrip.Mark(null, links),
        };

    private async Task<string> GenerateAsync(RunResult run)
    {
        var scratch = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        await ResultFiles.Runs.In(Path.Combine(scratch, "results")).WriteAsync(run, TestContext.Current.CancellationToken);
        return ResultSamples.Log(Path.Combine(scratch, "results"), Path.Combine(scratch, "docs"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
