namespace PerfReference.Topology;

/// <summary>
/// How a link behaves: the round trip it adds (half each way) and, optionally, its bandwidth.
/// On loopback a round trip costs tens of microseconds, which hides exactly the bottlenecks this
/// project shows; these profiles put a realistic network back.
/// </summary>
public sealed record NetworkProfile(string Name, TimeSpan RoundTrip, long? BytesPerSecond = null)
{
    public static readonly NetworkProfile Loopback = new("loopback", TimeSpan.Zero);
    public static readonly NetworkProfile Datacenter = new("datacenter", TimeSpan.FromMilliseconds(0.5));
    public static readonly NetworkProfile CrossZone = new("cross-zone", TimeSpan.FromMilliseconds(2));

    /// <summary>The seed lesson's figure: 5 ms per database round trip.</summary>
    public static readonly NetworkProfile Seed = new("seed", TimeSpan.FromMilliseconds(5));

    /// <summary>40 ms round trip at 10 Mbit/s.</summary>
    public static readonly NetworkProfile Wan = new("wan", TimeSpan.FromMilliseconds(40), BytesPerSecond: 10_000_000 / 8);

    /// <summary>
    /// A phone on a mobile network: 100 ms round trip at 1.5 Mbit/s. A client's link, not a datacenter's: the AppHost
    /// puts it on orders-link alone with its <c>client-network-profile</c> parameter.
    /// </summary>
    public static readonly NetworkProfile Mobile = new("mobile", TimeSpan.FromMilliseconds(100), BytesPerSecond: 1_500_000 / 8);

    public static IReadOnlyList<NetworkProfile> All { get; } = [Loopback, Datacenter, CrossZone, Seed, Wan, Mobile];

    public TimeSpan OneWay => RoundTrip / 2;

    /// <summary>
    /// The configuration key naming the profile of a process whose links run inside it (the silos: their links on the
    /// ports Orleans advertises); the load lab reads it from such a process's environment to find those links.
    /// </summary>
    public const string ConfigurationKey = "PerfReference:NetworkProfile";

    public static NetworkProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static NetworkProfile Parse(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown network profile '{name}'; use one of: {string.Join(", ", All.Select(p => p.Name))}.");
}
