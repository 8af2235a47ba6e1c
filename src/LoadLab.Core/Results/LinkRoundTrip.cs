namespace PerfReference.LoadLab.Results;

/// <summary>
/// One network link during a run: the round trip its profile sets and what its probes measured through it beside the
/// load (milliseconds; median and p99 by nearest rank over the probes that came back, null when none did).
/// <see cref="Failures"/> counts probes that got no answer; <see cref="Error"/> says why the lab stopped probing a link
/// that kept failing.
/// </summary>
public sealed record LinkRoundTrip(string Link, int Port, string Profile, double ProfileMs, int Probes, int Failures, double? MedianMs, double? P99Ms)
{
    /// <summary>How far a link's median may exceed its profile's round trip before the run is marked.</summary>
    public const double Tolerance = 0.2;

    /// <summary>The condition a run is marked with when one of its links exceeded its profile by more than <see cref="Tolerance"/>.</summary>
    public const string SlowerThanProfile = "links slower than their profile by more than 20 %";

    public string? Error { get; init; }

    /// <summary>The median round trip exceeded the profile's by more than 20 % (never for a link whose profile adds nothing).</summary>
    public bool OverProfile => MedianMs is { } median && ProfileMs > 0 && median - ProfileMs > ProfileMs * Tolerance;

    /// <summary>A run's condition with <see cref="SlowerThanProfile"/> added when any of its links was over its profile.</summary>
    public static string? Mark(string? condition, IReadOnlyList<LinkRoundTrip> links) =>
        RunConditions.Join(condition, links.Any(link => link.OverProfile) ? SlowerThanProfile : null);
}
