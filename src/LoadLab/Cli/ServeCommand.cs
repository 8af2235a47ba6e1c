using PerfReference.LoadLab.Serve;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

/// <summary>The lab as a long-running service: configuration comes from the environment (the AppHost sets it).</summary>
public sealed class ServeCommand : AsyncCommand
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken ct) => LabServer.RunAsync([.. context.Remaining.Raw]);
}
