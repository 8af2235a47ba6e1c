using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace PerfReference.TestSupport;

/// <summary>
/// The key the payment provider's admin service asks for (the AppHost's generated
/// <c>payments-admin-key</c> parameter), as the header its calls carry.
/// </summary>
public static class PaymentsAdminKey
{
    public const string ParameterName = "payments-admin-key";
    public const string Header = "x-admin-key";

    /// <summary>The headers of an admin call in this run.</summary>
    public static async Task<Metadata> HeadersAsync(AppHostRun run, CancellationToken ct)
    {
        var parameter = run.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == ParameterName);
        var key = await parameter.GetValueAsync(ct) ?? throw new InvalidOperationException($"No {ParameterName}.");
        return new Metadata { { Header, key } };
    }
}
