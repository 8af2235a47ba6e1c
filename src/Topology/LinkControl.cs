namespace PerfReference.Topology;

/// <summary>
/// Where the links process opens links on request (src/LatencyProxy's LinkRegistry): the AppHost gives the process its
/// control port by <see cref="PortVariable"/> and tells each silo replica the address by <see cref="AddressKey"/>; the
/// replica asks there for the links in front of its own advertised ports, which only it knows.
/// </summary>
public static class LinkControl
{
    /// <summary>The links process's environment variable naming its control port (none: links from its command line only).</summary>
    public const string PortVariable = "LatencyProxy__ControlPort";

    /// <summary>A silo's configuration key naming the control port's address, <c>127.0.0.1:PORT</c>.</summary>
    public const string AddressKey = "PerfReference:NetworkLinks:Control";

    /// <summary><see cref="AddressKey"/> as an environment variable.</summary>
    public const string AddressVariable = "PerfReference__NetworkLinks__Control";
}
