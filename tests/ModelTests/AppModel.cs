using PerfReference.Hosting.Processes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace PerfReference.ModelTests;

/// <summary>The AppHost's app model, as its Program builds it, with a throw-away state directory; nothing is started.</summary>
public sealed class AppModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;
    private readonly string _stateDirectory;

    private AppModel(IDistributedApplicationTestingBuilder builder, string stateDirectory)
    {
        _builder = builder;
        _stateDirectory = stateDirectory;
    }

    public IResourceCollection Resources => _builder.Resources;

    public static async Task<AppModel> BuildAsync(params string[] configuration)
    {
        var stateDirectory = ScratchDirectory.Create("model");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"PerfReference:StateDirectory={stateDirectory}", .. configuration], TestContext.Current.CancellationToken);
        return new AppModel(builder, stateDirectory);
    }

    public T Single<T>(string name) where T : IResource =>
        Assert.Single(Resources.OfType<T>(), resource => resource.Name == name);

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        Directory.Delete(_stateDirectory, recursive: true);
    }
}
