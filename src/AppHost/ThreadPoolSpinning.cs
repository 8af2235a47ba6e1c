namespace PerfReference.AppHost;

/// <summary>
/// Idle thread-pool threads of the processes this AppHost starts sleep at once rather than spin for work. The projects
/// built here carry the setting in their runtimeconfig.json (Directory.Build.props); the Aspire dashboard, built
/// elsewhere, does not, and it is the busiest .NET process of a traced run: it receives every span, log and metric on
/// the same two cores. The runtime reads the same setting from the variable <see cref="SpinLimitVariable"/>, and the
/// dashboard, started by the orchestrator, a child of this process, inherits it (as it inherits
/// <see cref="DashboardData.DirectoryVariable"/>). A value already set is kept, so a run can measure the spin again.
/// Why: the load lab's page, "Idle threads that do not spin".
/// </summary>
internal static class ThreadPoolSpinning
{
    /// <summary>The runtime's variable for <c>System.Threading.ThreadPool.UnfairSemaphoreSpinLimit</c>.</summary>
    public const string SpinLimitVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>Sets <see cref="SpinLimitVariable"/> to zero for every process started from here, unless it is already set.</summary>
    public static void StopIdleThreadsSpinning(this IDistributedApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SpinLimitVariable)))
        {
            Environment.SetEnvironmentVariable(SpinLimitVariable, "0");
        }
    }
}
