using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace PerfReference.TestSupport;

/// <summary>
/// The AppHost's app model as <c>dotnet run --project src/AppHost -- --publisher manifest</c> builds it: what a
/// cluster runs. Nothing is started and no manifest is written; environment values read as the manifest's
/// expressions (<c>{cache.connectionString}</c>).
/// </summary>
public sealed class PublishedAppModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;

    private PublishedAppModel(IDistributedApplicationTestingBuilder builder) => _builder = builder;

    public IResourceCollection Resources => _builder.Resources;

    public bool IsPublishMode => _builder.ExecutionContext.IsPublishMode;

    public static async Task<PublishedAppModel> BuildAsync(CancellationToken ct, params string[] configuration) =>
        new(await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--publisher", "manifest", .. configuration], ct));

    public T Single<T>(string name) where T : IResource =>
        Assert.Single(Resources.OfType<T>(), resource => resource.Name == name);

    /// <summary>The environment the manifest gives a project (or container), as name → manifest expression.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(string resourceName)
    {
        var resource = Single<IResourceWithEnvironment>(resourceName);
        var context = new EnvironmentCallbackContext(_builder.ExecutionContext, resource, new Dictionary<string, object>());
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(pair => pair.Key, pair => Describe(pair.Value));
    }

    /// <summary>The arguments the manifest gives a resource, references as manifest expressions.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsAsync(string resourceName)
    {
        var resource = Single<IResourceWithArgs>(resourceName);
        var context = new CommandLineArgsCallbackContext([], resource) { ExecutionContext = _builder.ExecutionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. context.Args.Select(Describe)];
    }

    /// <summary>
    /// The names of an environment that wire the application — connection strings, service addresses, Orleans, the
    /// services' own settings — without what an orchestrator sets for its platform: telemetry export (<c>OTEL_*</c>),
    /// the runtime's and ASP.NET Core's hosting switches (<c>DOTNET_*</c>, <c>ASPNETCORE_*</c>, <c>HTTP_PORTS</c>) and
    /// console logging (<c>LOGGING__*</c>). Those differ between this machine, the manifest and a cluster by design;
    /// the wiring must not.
    /// </summary>
    public static SortedSet<string> Wiring(IEnumerable<string> names) =>
        new(names.Where(name => name != "HTTP_PORTS" && !PlatformPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))), StringComparer.Ordinal);

    private static readonly string[] PlatformPrefixes = ["OTEL_", "DOTNET_", "ASPNETCORE_", "LOGGING__"];

    private static string Describe(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider expression => expression.ValueExpression,
        _ => value.ToString() ?? "",
    };

    public async ValueTask DisposeAsync() => await _builder.DisposeAsync();
}
