using System.ComponentModel;
using PerfReference.LoadLab.Links;
using PerfReference.LoadLab.Options;
using PerfReference.LoadLab.Scenarios;
using Spectre.Console.Cli;

namespace PerfReference.LoadLab.Cli;

/// <summary>What every measurement shares: the system it loads (its profile, its address) and where its results go.</summary>
public abstract class SystemSettings : CommandSettings
{
    [CommandOption("--profile <PROFILE>")]
    [Description("The network profile the system was started with (AppHost parameter network-profile): loopback, datacenter, cross-zone, seed, wan, mobile. Recorded, not applied.")]
    [DefaultValue("loopback")]
    public string Profile { get; set; } = "loopback";

    [CommandOption("--base-url <URL>")]
    [Description("OrdersService's address (default: its own port on loopback; under another profile orders-link's, so the load pays the client's network too).")]
    public string? BaseUrl { get; set; }

    [CommandOption("--results <DIR>")]
    [Description("Where result files go (default: results/ in the repository; capacity searches in results/capacity/).")]
    public string? Results { get; set; }

    /// <summary>The client's link where the load goes (the given address, else <paramref name="defaultBaseUrl"/>), as found on this machine.</summary>
    public ClientLinkReading? ReadClientLink(string defaultBaseUrl) =>
        Uri.TryCreate(BaseUrl ?? defaultBaseUrl, UriKind.Absolute, out var url) ? ClientLink.Read(url) : null;
}

/// <summary>What a run and a capacity search share: the scenario, and the system they load.</summary>
public abstract class TargetSettings : SystemSettings
{
    [CommandArgument(0, "<scenario>")]
    [Description("A scenario id (see list): a catalog entry, or seed-checkout.")]
    public string Scenario { get; set; } = "";
}
