using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.DatabaseMigrator;

/// <summary>What the migrator was asked to do, parsed from its command line.</summary>
/// <param name="Seed">The size to load after migrating, or null for none; null with <paramref name="SeedFromConfiguration"/> means "read Seed:Size".</param>
public sealed record MigratorCommand(SeedSize? Seed, bool SeedFromConfiguration, string[] HostArgs)
{
    /// <summary>The migration to bring the database to (later ones reverted), or null for the latest.</summary>
    public string? TargetMigration { get; init; }

    public const string Usage =
        """
        Usage: DatabaseMigrator [migrate [--to <migration>] | seed [--size tiny|small|default]] [--connection <npgsql connection string>]

          (no command)  apply migrations, then load the size in configuration Seed:Size (tiny when unset);
                        this is what the AppHost runs before the services start
          migrate       apply migrations only; with --to, migrate up or down to that migration (by name, for
                        example OrderIdsHiLo: the ones after it are reverted)
          seed          apply migrations, then load the generated data set of --size (default: default)
          --connection  the orders database; otherwise ConnectionStrings:ordersdb (which the AppHost sets)
        """;

    public static MigratorCommand Parse(string[] args)
    {
        var hostArgs = new List<string>();
        string? command = null;
        string? size = null;
        string? target = null;

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "migrate" or "seed" && command is null)
            {
                command = arg;
            }
            else if (arg is "--size" or "--connection" or "--to")
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"{arg} needs a value.");
                }

                var value = args[++i];
                if (arg == "--size")
                {
                    size = value;
                }
                else if (arg == "--to")
                {
                    target = value;
                }
                else
                {
                    hostArgs.Add($"--ConnectionStrings:ordersdb={value}");
                }
            }
            else if (arg is "-h" or "--help")
            {
                throw new UsageException(null);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('='))
            {
                hostArgs.Add(arg); // host configuration, for example --Seed:Size=small
            }
            else
            {
                throw new UsageException($"Unexpected argument '{arg}'.");
            }
        }

        try
        {
            return command switch
            {
                "migrate" when size is not null => throw new UsageException("--size belongs to the seed command."),
                "migrate" => new(null, SeedFromConfiguration: false, [.. hostArgs]) { TargetMigration = target },
                _ when target is not null => throw new UsageException("--to belongs to the migrate command."),
                "seed" => new(SeedSize.Parse(size ?? SeedSize.Default.Name), SeedFromConfiguration: false, [.. hostArgs]),
                _ when size is not null => new(SeedSize.Parse(size), SeedFromConfiguration: false, [.. hostArgs]),
                _ => new(null, SeedFromConfiguration: true, [.. hostArgs]),
            };
        }
        catch (ArgumentException error)
        {
            throw new UsageException(error.Message);
        }
    }
}

/// <summary>The command line cannot be run; <see cref="Problem"/> says why (null when help was asked for).</summary>
public sealed class UsageException(string? problem) : Exception(problem ?? "Usage requested.")
{
    public string? Problem { get; } = problem;
}
