using PerfReference.LoadLab.Cli;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>Which commands run their socket continuations inline: the ceiling only, and never against what the environment says.</summary>
public sealed class ClientSocketsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(ClientSockets.InlineCompletions);

    public ClientSocketsTests() => Environment.SetEnvironmentVariable(ClientSockets.InlineCompletions, null);

    [Fact]
    public void TheCeilingRunsItsContinuationsInline()
    {
        ClientSockets.ChooseFor(["ceiling", "--in-flight", "16"]);

        Assert.Equal("1", Environment.GetEnvironmentVariable(ClientSockets.InlineCompletions));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("capacity")]
    [InlineData("drill")]
    [InlineData("serve")]
    public void EveryOtherCommandKeepsTheRuntimesDefault(string command)
    {
        ClientSockets.ChooseFor([command]);

        Assert.Null(Environment.GetEnvironmentVariable(ClientSockets.InlineCompletions));
    }

    [Fact]
    public void AnEnvironmentThatNamesTheSettingKeepsIt()
    {
        Environment.SetEnvironmentVariable(ClientSockets.InlineCompletions, "0");

        ClientSockets.ChooseFor(["ceiling"]);

        Assert.Equal("0", Environment.GetEnvironmentVariable(ClientSockets.InlineCompletions));
    }

    [Fact]
    public void NoCommandChangesNothing()
    {
        ClientSockets.ChooseFor([]);

        Assert.Null(Environment.GetEnvironmentVariable(ClientSockets.InlineCompletions));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(ClientSockets.InlineCompletions, _before);
}
