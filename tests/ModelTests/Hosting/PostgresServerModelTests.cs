using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using PerfReference.Hosting.Postgres;
using static PerfReference.ModelTests.ModelEvaluation;

namespace PerfReference.ModelTests.Hosting;

/// <summary><c>AddPostgresServer</c> and its databases: the machine's own server binaries, on an allocated loopback port.</summary>
public sealed class PostgresServerModelTests : IDisposable
{
    private readonly BuilderWithScratchState _builders = new("postgres-model");

    [Fact]
    public async Task TheServerRunsOnItsDataDirectoryAndAllocatedPortListeningOnLoopbackOnly()
    {
        var postgres = NewBuilder().AddPostgresServer("postgres").Resource;

        var args = string.Join(" ", await ArgumentsAsync(postgres));
        Assert.Contains($"-D {Path.Combine(_builders.StateDirectory, "postgres", "data")} -p {{postgres.bindings.tcp.targetPort}}", args);
        Assert.Contains("-c listen_addresses=localhost", args);
        Assert.False(Assert.Single(postgres.Annotations.OfType<EndpointAnnotation>()).IsProxied);
    }

    [Fact]
    public async Task ASettingAskedForFollowsTheOnesEveryServerGetsSoItWins()
    {
        var postgres = NewBuilder().AddPostgresServer("postgres").WithServerSetting("max_connections", "50").Resource;

        var args = string.Join(" ", await ArgumentsAsync(postgres));
        Assert.EndsWith("-c max_connections=300 -c max_connections=50", args);
    }

    [Fact]
    public void ADatabaseIsAChildWhoseConnectionStringNamesIt()
    {
        var server = NewBuilder().AddPostgresServer("postgres");
        var database = server.AddDatabase("ordersdb").Resource;

        Assert.Same(server.Resource, database.Parent);
        Assert.Equal("{postgres.connectionString};Database=ordersdb", database.ConnectionStringExpression.ValueExpression);
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            server.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("ordersdb", server.Resource.Databases["ordersdb"]);
    }

    [Fact]
    public async Task ThePasswordIsASecretThatOutlivesTheAppHostBecauseTheClusterDoes()
    {
        var first = NewBuilder().AddPostgresServer("postgres").Resource.PasswordParameter;
        var second = NewBuilder().AddPostgresServer("postgres").Resource.PasswordParameter;

        Assert.True(first.Secret);
        var password = await first.GetValueAsync(TestContext.Current.CancellationToken);
        Assert.Equal(36, password?.Length);
        Assert.Equal(password, await second.GetValueAsync(TestContext.Current.CancellationToken));
    }

    private IDistributedApplicationBuilder NewBuilder() => _builders.NewBuilder();

    public void Dispose() => _builders.Dispose();
}
