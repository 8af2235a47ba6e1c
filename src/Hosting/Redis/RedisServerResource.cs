using Aspire.Hosting.ApplicationModel;

namespace PerfReference.Hosting.Redis;

/// <summary>
/// A <c>redis-server</c> child process on an allocated loopback port. Referencing it gives a project
/// <c>ConnectionStrings__{name}</c> in StackExchange.Redis's format.
/// </summary>
/// <remarks>
/// Named after what it runs, not <c>RedisResource</c>, which is Aspire's own (container) type.
/// Aspire.Hosting.Orleans would name an Orleans provider after this type ("RedisServer"); the
/// AppHost names the Orleans Redis providers explicitly instead.
/// </remarks>
public sealed class RedisServerResource(string name, string command, string stateDirectory)
    : ExecutableResource(name, command, workingDirectory: stateDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public string StateDirectory { get; } = stateDirectory;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
