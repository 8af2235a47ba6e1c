using PerfReference.LoadLab.Processes;
using PerfReference.LoadLab.Results;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Traces;

/// <summary>
/// Where the Aspire dashboard of the running system answers its telemetry API (<c>/api/telemetry/*</c>, the API
/// <c>aspire otel traces</c> reads) and the key it asks for there (header <c>x-api-key</c>). The AppHost hands both to
/// the loadlab resource (<see cref="UrlVariable"/>, <see cref="ApiKeyVariable"/>); a run from the command line finds
/// them where the lab's dashboard hands them, in its own environment or in that of this checkout's loadlab resource on
/// this machine. A system not started by the AppHost has no dashboard: then there is none, and a run keeps no traces.
/// </summary>
public sealed record DashboardAccess(Uri Url, string ApiKey)
{
    public const string UrlVariable = LabDashboard.UrlVariable;
    public const string ApiKeyVariable = LabDashboard.ApiKeyVariable;

    /// <summary>The header the dashboard's telemetry API reads its key from.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The dashboard's page of one trace, for a browser already logged in to it.</summary>
    public Uri TracePage(string traceId) => new(Url, $"traces/detail/{Uri.EscapeDataString(traceId)}");

    /// <summary>The dashboard this process was given (the loadlab resource's, or a command line's own); null when none.</summary>
    public static DashboardAccess? Given() =>
        From(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal));

    /// <summary>For a run from the command line: the dashboard it was given, else the one this checkout's loadlab resource was given; null when neither.</summary>
    public static DashboardAccess? Find() => Given() ?? FromLabResource(RepositoryRoot.Find());

    /// <summary>The dashboard named by an environment; null unless it has both an http(s) URL and a key.</summary>
    public static DashboardAccess? From(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(UrlVariable, out var url) && Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" && environment.TryGetValue(ApiKeyVariable, out var key) && key.Length > 0
            ? new DashboardAccess(uri, key)
            : null;

    /// <summary>The dashboard given to the serve process of this checkout's lab (the AppHost's loadlab resource), when one runs here.</summary>
    private static DashboardAccess? FromLabResource(string? repositoryRoot) =>
        repositoryRoot is null
            ? null
            : LocalProcesses.All()
                .Where(process => IsLabResource(process.Arguments, repositoryRoot))
                .Select(process => LocalProcesses.ReadEnvironment(process.Id) is { } environ ? From(LocalProcesses.ParseEnvironment(environ)) : null)
                .FirstOrDefault(access => access is not null);

    /// <summary>Whether a command line is this checkout's lab serving (its program or first argument the lab's apphost or dll under the repository, then <c>serve</c>).</summary>
    public static bool IsLabResource(IReadOnlyList<string> arguments, string repositoryRoot)
    {
        var program = arguments.Take(2).Select((argument, index) => (argument, index))
            .FirstOrDefault(a => Path.GetFileName(a.argument) is LabAssembly or LabAssembly + ".dll");
        return program.argument is { } path && path.StartsWith(repositoryRoot.TrimEnd('/') + "/", StringComparison.Ordinal)
            && arguments.Skip(program.index + 1).FirstOrDefault() == "serve";
    }

    private const string LabAssembly = "PerfReference.LoadLab";
}
