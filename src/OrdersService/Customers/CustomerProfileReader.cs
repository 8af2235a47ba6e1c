using PerfReference.CustomerGrains;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Customers;

/// <summary>Many customers' profiles, in the order asked; ids that name no customer are listed as missing rather than failing the batch.</summary>
public sealed record CustomerProfiles(IReadOnlyList<CustomerProfile> Profiles, IReadOnlyList<long> Missing);

/// <summary>
/// Reads many customers from their grains, in the two variants of the catalog entry
/// <c>n-plus-one-grains</c>. Both make one grain call per customer; what differs is the shape:
/// naive, each call awaited before the next is made, so the request takes N round trips to the
/// silos; optimized, all calls sent at once and awaited together, so it takes about one.
/// </summary>
public sealed class CustomerProfileReader(IGrainFactory grains, IPerfSwitch perf)
{
    public Task<CustomerProfiles> ReadAsync(IReadOnlyList<long> ids) =>
        perf.IsOptimized(PerfCatalog.NPlusOneGrains) ? ReadFannedOutAsync(ids) : ReadOneAfterAnotherAsync(ids);

    /// <summary>Naive: a loop with an await inside — correct, and as slow as N round trips in a row.</summary>
    private async Task<CustomerProfiles> ReadOneAfterAnotherAsync(IReadOnlyList<long> ids)
    {
        var profiles = new CustomerProfile?[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            profiles[i] = await grains.GetGrain<ICustomerGrain>(ids[i]).GetProfileAsync();
        }

        return Collect(ids, profiles);
    }

    /// <summary>
    /// Optimized: every call in flight at once. The grains live on several silos and each answers on
    /// its own, so the request waits for the slowest call rather than for the sum of them.
    /// </summary>
    private async Task<CustomerProfiles> ReadFannedOutAsync(IReadOnlyList<long> ids)
    {
        var profiles = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICustomerGrain>(id).GetProfileAsync()));
        return Collect(ids, profiles);
    }

    private static CustomerProfiles Collect(IReadOnlyList<long> ids, IReadOnlyList<CustomerProfile?> profiles) => new(
        [.. profiles.OfType<CustomerProfile>()],
        [.. ids.Where((_, i) => profiles[i] is null)]);
}
