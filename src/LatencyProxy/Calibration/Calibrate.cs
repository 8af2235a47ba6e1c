using PerfReference.Topology;

namespace PerfReference.LatencyProxy.Calibration;

/// <summary>The <c>measure</c> command: every profile's measured round trip, and the bandwidth of the limited ones.</summary>
internal static class Calibrate
{
    private const int RoundTrips = 200;
    private const int TransferBytes = 1_000_000;

    public static async Task<int> AllProfilesAsync()
    {
        Console.WriteLine($"Each profile through a proxy to an echo server on loopback, {RoundTrips} 1-byte round trips; {Environment.ProcessorCount} cores.");
        Console.WriteLine($"{"profile",-11} {"set",8} {"min",8} {"median",8} {"p99",8} {"max",8}  bandwidth");
        foreach (var profile in NetworkProfile.All)
        {
            var rtt = await LinkCalibration.MeasureRoundTripsAsync(profile, RoundTrips, CancellationToken.None);
            var bandwidth = profile.BytesPerSecond is { } limit
                ? $"{(await LinkCalibration.MeasureBandwidthAsync(profile, TransferBytes, CancellationToken.None)).BytesPerSecond * 8 / 1e6:F2} Mbit/s (set {limit * 8 / 1e6:0.#})"
                : "unlimited";
            Console.WriteLine($"{profile.Name,-11} {Ms(profile.RoundTrip),8} {Ms(rtt.Min),8} {Ms(rtt.Median),8} {Ms(rtt.P99),8} {Ms(rtt.Max),8}  {bandwidth}");
        }

        return 0;
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:F2}";
}
