using static PerfReference.AppHost.ThreadPoolSpinning;

namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// Idle thread-pool threads sleep rather than spin: every executable built here says so in its runtimeconfig.json
/// (Directory.Build.props), and the AppHost says so to the processes it starts that were built elsewhere — the
/// dashboard — through the runtime's variable, unless one was set.
/// </summary>
[Collection(typeof(ProcessVariables))]
public sealed class ThreadPoolSpinningModelTests
{
    [Fact]
    public void ExecutablesBuiltHereRunWithoutTheSpin() =>
        // This test host is an executable built with the repository's shared settings, as every service is.
        Assert.Equal("0", AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit")?.ToString());

    [Fact]
    public async Task TheAppHostTellsItsChildrenNotToSpinUnlessAValueWasSet()
    {
        // One test, both cases in turn: the variable is the process's, shared by every test that builds the model.
        using var variable = new ProcessVariable(SpinLimitVariable);
        variable.Set(null);
        await using (await AppModel.BuildAsync())
        {
            Assert.Equal("0", variable.Value);
        }

        variable.Set("46");
        await using (await AppModel.BuildAsync())
        {
            Assert.Equal("46", variable.Value);
        }
    }
}
