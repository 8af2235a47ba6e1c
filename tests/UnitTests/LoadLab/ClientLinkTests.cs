using PerfReference.LoadLab;
using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Options;
using PerfReference.Topology;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>
/// The client's link (orders-link) can have a profile of its own (AppHost parameter client-network-profile): the lab
/// reads it from the link's command line on this machine, checks what it is told against it, and records it.
/// </summary>
public sealed class ClientLinkTests
{
    private const string Proxy = "/work/perfref/src/LatencyProxy/bin/Release/net10.0/PerfReference.LatencyProxy";

    [Fact]
    public void TheProfileIsReadFromTheLatencyProxyThatListensOnThePort()
    {
        string[] link = [Proxy, "--listen", "5190", "--upstream", "127.0.0.1:5180", "--profile", "mobile"];

        Assert.Equal("mobile", ClientLink.ProfileOf(link, OrdersApiAddress.ClientLinkPort));
        Assert.Equal("seed", ClientLink.ProfileOf(["dotnet", Proxy + ".dll", "--listen", "5190", "--upstream", "127.0.0.1:5180", "--profile", "SEED"], 5190));
        Assert.Null(ClientLink.ProfileOf(link, 31442)); // another link of the system (to PostgreSQL, Redis, payments)
    }

    [Fact]
    public void NothingButTheProxyItselfIsReadAsTheLink()
    {
        // Aspire starts each project with `dotnet run`, which starts the proxy with the same arguments: that is not the link.
        Assert.Null(ClientLink.ProfileOf(["dotnet", "run", "--project", "/work/perfref/src/LatencyProxy/LatencyProxy.csproj", "--no-build", "--listen", "5190", "--profile", "mobile"], 5190));
        Assert.Null(ClientLink.ProfileOf(["/usr/bin/socat", "--listen", "5190", "--profile", "mobile"], 5190));
        Assert.Null(ClientLink.ProfileOf([Proxy, "--listen", "5190", "--upstream", "127.0.0.1:5180", "--profile", "moon"], 5190));
        Assert.Null(ClientLink.ProfileOf([Proxy, "--listen", "5190"], 5190));
    }

    [Fact]
    public void AnAddressOffThisMachineHasNoLinkToRead() =>
        Assert.Null(ClientLink.Read(new Uri("http://orders/")));

    [Fact]
    public void TheClientsProfileIsAsGivenElseAsFoundElseTheSystems()
    {
        var found = new ClientLinkReading(4242, "mobile");

        Assert.Equal("seed", RunOptions.ChooseClientProfile("seed", given: null, found: null));
        Assert.Equal("mobile", RunOptions.ChooseClientProfile("seed", given: null, found));
        Assert.Equal("mobile", RunOptions.ChooseClientProfile("seed", given: "mobile", found));
        Assert.Equal("wan", RunOptions.ChooseClientProfile("seed", given: "wan", found: null));
    }

    [Fact]
    public void AGivenClientProfileThatTheLinkDoesNotRunIsRefusedNamingBoth()
    {
        var error = Assert.Throws<LabInputException>(() => RunOptions.ChooseClientProfile("seed", given: "wan", new ClientLinkReading(4242, "mobile")));

        Assert.Contains("--client-profile wan", error.Message);
        Assert.Contains("process 4242) runs the 'mobile' profile", error.Message);
        Assert.Contains("--client-profile '3g' is not a network profile",
            Assert.Throws<LabInputException>(() => RunOptions.ChooseClientProfile("seed", given: "3g", found: null)).Message);
    }

    [Fact]
    public void ARunOfAMobileClientGoesThroughTheClientsLinkAndItsCommandSaysSo()
    {
        var seed = RunOptions.Create("compression", 1, "600s", "10s", "seed", null, Path.GetTempPath(), journey: false, clientLink: new ClientLinkReading(4242, "mobile"));
        var loopback = RunOptions.Create("compression", 1, "600s", "10s", "loopback", null, Path.GetTempPath(), journey: false, clientProfile: "mobile");

        Assert.Equal(("seed", "mobile"), (seed.Profile, seed.ClientProfile));
        Assert.Equal(new Uri(OrdersApiAddress.ThroughClientLink + "/"), seed.BaseUrl);
        Assert.Equal("dotnet run --project src/LoadLab -- run compression --rate 1 --duration 600s --warmup 10s --profile seed --client-profile mobile", seed.Command());
        Assert.Equal(new Uri(OrdersApiAddress.ThroughClientLink + "/"), loopback.BaseUrl); // the system on loopback, its client on a phone
        Assert.DoesNotContain("--base-url", loopback.Command());
    }

    [Fact]
    public void WithoutAClientProfileARunIsWhatItWasBefore()
    {
        var run = RunOptions.Create("compression", 10, "60s", "5s", "seed", null, Path.GetTempPath(), journey: false);

        Assert.Equal("seed", run.ClientProfile);
        Assert.Equal("dotnet run --project src/LoadLab -- run compression --rate 10 --duration 60s --warmup 5s --profile seed", run.Command());
        Assert.Equal(new Uri(OrdersApiAddress.Direct + "/"),
            RunOptions.Create("compression", 10, "60s", "5s", "loopback", null, Path.GetTempPath(), journey: false).BaseUrl);
    }

    [Fact]
    public void ACapacitySearchRecordsOneProfileSoAClientLinkOfAnotherIsRefused()
    {
        var error = Assert.Throws<LabInputException>(() => CapacityOptions.Create("compression", "phased", "500ms", 1, 1, 1.5, "10s", 10, "5s", "seed", null,
            Path.GetTempPath(), new ClientLinkReading(4242, "mobile")));

        Assert.Contains("runs the 'mobile' profile, not 'seed': a capacity search records one profile", error.Message);
        Assert.Equal("seed", CapacityOptions.Create("compression", "phased", "500ms", 1, 1, 1.5, "10s", 10, "5s", "seed", null,
            Path.GetTempPath(), new ClientLinkReading(4242, "seed")).Profile);
    }
}
