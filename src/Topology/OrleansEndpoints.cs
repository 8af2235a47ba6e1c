namespace PerfReference.Topology;

/// <summary>
/// The configuration keys of the ports a silo advertises (Aspire's Orleans integration sets them): the silo's network
/// links listen on them, and the lab reads them from a silo's environment to probe those links.
/// </summary>
public static class OrleansEndpoints
{
    public const string SiloPortKey = "Orleans:Endpoints:SiloPort";

    public const string GatewayPortKey = "Orleans:Endpoints:GatewayPort";
}
