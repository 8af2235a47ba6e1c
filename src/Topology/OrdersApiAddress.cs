namespace PerfReference.Topology;

/// <summary>
/// Where clients find the orders API on this machine. The ports are fixed, not allocated, so that a
/// command line — the lab's, a curl in the README, the .http file — works as written.
/// </summary>
public static class OrdersApiAddress
{
    /// <summary>OrdersService itself (through Aspire's proxy).</summary>
    public const int Port = 5180;

    /// <summary>
    /// orders-link: the latency proxy the AppHost puts in front of OrdersService under a network
    /// profile other than loopback, so that a client's requests pay the client's network too.
    /// </summary>
    public const int ClientLinkPort = 5190;

    public static string Direct => $"http://localhost:{Port}";

    public static string ThroughClientLink => $"http://127.0.0.1:{ClientLinkPort}";
}
