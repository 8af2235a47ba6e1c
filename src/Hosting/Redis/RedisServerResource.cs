using Aspire.Hosting.ApplicationModel;

namespace PerfReference.Hosting.Redis;

/// <summary>
/// A <c>redis-server</c> child process on an allocated loopback port. Referencing it gives a project
/// <c>ConnectionStrings__{name}</c> in StackExchange.Redis's format.
/// </summary>
/// <remarks>
/// Aspire.Hosting.Orleans names an Orleans provider after the resource's type (minus "Resource"),
/// and the Orleans Redis providers register under "Redis": hence the type name.
/// </remarks>
public sealed class RedisResource(string name, string command, string stateDirectory)
    : ExecutableResource(name, command, workingDirectory: stateDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public string StateDirectory { get; } = stateDirectory;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
