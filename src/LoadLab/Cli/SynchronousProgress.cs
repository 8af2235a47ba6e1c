namespace PerfReference.LoadLab.Cli;

/// <summary>Reports on the caller's thread at once (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
