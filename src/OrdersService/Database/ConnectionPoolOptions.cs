using System.Globalization;
using Npgsql;

namespace PerfReference.OrdersService.Database;

/// <summary>
/// The pool settings of the service's own data source (the optimized side of catalog entry connection-pooling), each
/// chosen for a service instance on a small machine that shares one PostgreSQL with other instances. Configuration
/// section <see cref="SectionName"/> overrides them.
/// </summary>
public sealed record ConnectionPoolOptions
{
    public const string SectionName = "PerfReference:Database:Pool";

    /// <summary>
    /// Connections kept open however quiet the service is, so the first requests after a lull do not each pay a
    /// ~20 ms open. Two: one request in flight on each core of this machine.
    /// </summary>
    public int MinPoolSize { get; init; } = 2;

    /// <summary>
    /// The most this instance may hold. PostgreSQL runs a process per connection and does its best work with a few
    /// active ones per core; beyond that more connections only queue inside the server and use its memory (a backend
    /// is several MB). Twenty leaves room for 10+ instances under max_connections = 300; a request that finds all
    /// twenty busy waits for one (up to the connection Timeout) rather than opening a 21st.
    /// </summary>
    public int MaxPoolSize { get; init; } = 20;

    /// <summary>
    /// An idle connection above the minimum is closed after this long: a burst's extra connections go back to
    /// PostgreSQL within a minute instead of Npgsql's default five.
    /// </summary>
    public TimeSpan ConnectionIdleLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A connection older than this is closed when it is returned, not reused: connections move to a replacement
    /// server after a failover or DNS change, and no server process lives (and grows its caches) forever. Npgsql's
    /// default is never; 30 minutes costs one open per connection per half hour.
    /// </summary>
    public TimeSpan ConnectionLifetime { get; init; } = TimeSpan.FromMinutes(30);

    public static ConnectionPoolOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ConnectionPoolOptions>() ?? new ConnectionPoolOptions();
        if (options.MinPoolSize < 0 || options.MaxPoolSize < 1 || options.MinPoolSize > options.MaxPoolSize)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}: MinPoolSize ({options.MinPoolSize}) must be from 0 to MaxPoolSize ({options.MaxPoolSize}), and MaxPoolSize at least 1."));
        }

        if (options.ConnectionIdleLifetime <= TimeSpan.Zero || options.ConnectionLifetime < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}: ConnectionIdleLifetime must be positive and ConnectionLifetime zero (never) or positive.");
        }

        return options;
    }

    public void ApplyTo(NpgsqlConnectionStringBuilder connection)
    {
        connection.Pooling = true;
        connection.MinPoolSize = MinPoolSize;
        connection.MaxPoolSize = MaxPoolSize;
        connection.ConnectionIdleLifetime = (int)ConnectionIdleLifetime.TotalSeconds;
        connection.ConnectionLifetime = (int)ConnectionLifetime.TotalSeconds;
    }
}
