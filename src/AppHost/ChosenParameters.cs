namespace PerfReference.AppHost;

/// <summary>The AppHost's choices (network profiles, the database pooler, Redis persistence): parameters whose value decides the app model.</summary>
internal static class ChosenParameters
{
    /// <summary>
    /// The value configuration gives <c>Parameters:&lt;name&gt;</c>, else <paramref name="defaultValue"/>, checked by
    /// <paramref name="check"/> (which throws for a value it cannot use: the AppHost stops before anything starts), and
    /// shown as chosen in the dashboard's Parameters tab. (A parameter added with a constant shows that constant, not the
    /// configured value: the choice is read here, once, and the parameter made from it.)
    /// </summary>
    public static string AddChosenParameter(this IDistributedApplicationBuilder builder, string name, string defaultValue, Func<string, string> check)
    {
        var chosen = check(builder.Configuration[$"Parameters:{name}"] ?? defaultValue);
        builder.AddParameter(name, chosen);
        return chosen;
    }
}
