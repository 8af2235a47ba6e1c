using PerfReference.Hosting.Processes;
using Aspire.Hosting;
using PerfReference.Hosting;

namespace PerfReference.ModelTests.Hosting;

/// <summary>Bare app builders whose executable-backed resources keep their state (data folders, the persisted password) in one throw-away folder.</summary>
public sealed class BuilderWithScratchState(string purpose) : IDisposable
{
    public string StateDirectory { get; } = ScratchDirectory.Create(purpose);

    public IDistributedApplicationBuilder NewBuilder()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration[PerfReference.Hosting.StateDirectory.ConfigurationKey] = StateDirectory;
        return builder;
    }

    public void Dispose() => Directory.Delete(StateDirectory, recursive: true);
}
