
namespace PerfReference.UnitTests.LoadLab;

/// <summary>Input the lab cannot use ends at once with exit code 2 and one line that says what is wrong.</summary>
public sealed class LabCommandLineTests
{
    [Theory]
    [InlineData("frobnicate", "'frobnicate' is not a scenario; scenarios: n-plus-one-db,")]
    public async Task AnUnknownScenarioIsRefused(string scenario, string message) =>
        await AssertRefused(["run", scenario], message);

    [Fact]
    public async Task ARateOfZeroIsRefused() =>
        await AssertRefused(["run", "n-plus-one-db", "--rate", "0"], "--rate 0 is not a rate");

    [Fact]
    public async Task ADurationThatIsNotOneIsRefused() =>
        await AssertRefused(["run", "n-plus-one-db", "--duration", "abc"], "--duration 'abc' is not a duration; write it like 500ms, 30s, 2m or 1h.");

    [Fact]
    public async Task AnUnknownNetworkProfileIsRefused() =>
        await AssertRefused(["run", "n-plus-one-db", "--profile", "moon"], "--profile 'moon' is not a network profile; use one of: loopback, datacenter, cross-zone, seed, wan, mobile.");

    [Fact]
    public async Task AnUnknownClientProfileIsRefused() =>
        await AssertRefused(["run", "compression", "--profile", "seed", "--client-profile", "3g"], "--client-profile '3g' is not a network profile; use one of: loopback,");

    [Fact]
    public async Task TheJourneyIsOnlyForTheSeedCheckout() =>
        await AssertRefused(["run", "n-plus-one-db", "--journey"], "--journey is for seed-checkout");

    [Fact]
    public async Task AnUnreachableServiceIsRefusedWithAHint() =>
        await AssertRefused(["run", "n-plus-one-db", "--base-url", "http://127.0.0.1:1", "--duration", "1s"], "Cannot reach http://127.0.0.1:1/");

    [Fact]
    public async Task ACeilingOfFewerThanThreeRoundsIsRefused() =>
        await AssertRefused(["ceiling", "--rounds", "2"], "--rounds 2: give 3 to 50 rounds (the ratio's spread needs at least 3).");

    [Fact]
    public async Task ACeilingOfAnUnreachableServiceIsRefusedWithAHint() =>
        await AssertRefused(["ceiling", "--base-url", "http://127.0.0.1:1", "--step", "1s"], "Cannot reach http://127.0.0.1:1/");

    [Fact]
    public async Task ListNamesTheScenariosOneALineForScripts()
    {
        var (exitCode, output) = await RunAsync(["list", "--scenarios", "--measured-on", "database"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(["missing-index", "connection-pooling", "unbounded-results", "bulk-insert"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AWhereWithoutScenariosIsRefused() =>
        await AssertRefused(["list", "--measured-on", "database"], "--measured-on goes with --scenarios");

    private static async Task AssertRefused(string[] args, string message)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: " + message, output);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] args) => FileConsole.RunAsync(args);
}
