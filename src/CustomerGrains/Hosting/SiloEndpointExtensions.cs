using System.Net;
using Orleans.Configuration;

namespace PerfReference.CustomerGrains.Hosting;

public static class SiloEndpointExtensions
{
    /// <summary>
    /// The whole lab runs on one machine and talks over loopback only. Left alone, a silo advertises
    /// the address of the machine's network interface, and silos and clients would reach each other
    /// through it; advertising loopback keeps every hop on 127.0.0.1.
    /// </summary>
    public static ISiloBuilder AdvertiseLoopback(this ISiloBuilder silo) =>
        silo.Configure<EndpointOptions>(endpoints => endpoints.AdvertisedIPAddress = IPAddress.Loopback);
}
