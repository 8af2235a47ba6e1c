namespace PerfReference.ModelTests.AppHost;

/// <summary>
/// An environment variable of this test process that a test sets, given back its earlier value when disposed. The
/// AppHost hands its children settings through its own environment, so a test that builds the model with a value set
/// changes it for every test that builds the model after it unless it is restored. Building the model also reads and
/// writes these variables, so the tests that set them run alone (<see cref="ProcessVariables"/>), never beside a build.
/// </summary>
internal sealed class ProcessVariable(string name) : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(name);

    public string? Value => Environment.GetEnvironmentVariable(name);

    public void Set(string? value) => Environment.SetEnvironmentVariable(name, value);

    public void Dispose() => Environment.SetEnvironmentVariable(name, _before);
}

/// <summary>The tests that set the process's environment: run one at a time, after the parallel ones, not beside a model build.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessVariables;
