using PerfReference.LoadLab.Cli;

// The load lab: `run` a scenario, `list` the scenarios, build the `log`, or `serve` for the AppHost.
ClientSockets.ChooseFor(args); // before the first socket: the runtime reads the setting once
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return await LabApp.RunAsync(args, ct: stop.Token);
