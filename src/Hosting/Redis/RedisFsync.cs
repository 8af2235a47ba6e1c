namespace PerfReference.Hosting.Redis;

/// <summary>When Redis forces its append-only file to disk (its <c>appendfsync</c> setting).</summary>
public enum RedisFsync
{
    /// <summary>Once a second, in the background (<c>everysec</c>).</summary>
    EverySecond,

    /// <summary>Before every write is acknowledged (<c>always</c>).</summary>
    Always,
}
