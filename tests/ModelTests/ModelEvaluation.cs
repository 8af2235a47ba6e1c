using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace PerfReference.ModelTests;

/// <summary>
/// A resource's environment and arguments as its callbacks produce them in run mode, unresolved:
/// a reference reads as its expression (<c>{postgres.bindings.tcp.port}</c>), so a test sees what
/// is wired to what without any port being allocated or process started.
/// </summary>
public static class ModelEvaluation
{
    private static readonly DistributedApplicationExecutionContext RunMode = new(DistributedApplicationOperation.Run);

    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(RunMode, resource, new Dictionary<string, object>());
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(pair => pair.Key, pair => Describe(pair.Value));
    }

    public static async Task<IReadOnlyList<string>> ArgumentsAsync(IResource resource)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. args.Select(Describe)];
    }

    public static string Describe(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider expression => expression.ValueExpression,
        _ => value.ToString() ?? "",
    };
}
