using PerfReference.CustomerGrains;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Customers;

/// <summary>
/// Reads one customer's profile from its grain, in the two variants of the catalog entry <c>grain-read-only</c>.
/// Both make one grain call and, while the customer takes no order, answer the same. What differs is whether the
/// read queues behind a write: Orleans decides that per call from the method called (the caller's proxy marks the
/// message interleaving or not), before any code of the grain runs, so the choice is made here, by the caller.
/// </summary>
public sealed class CustomerReader(IGrainFactory grains, IPerfSwitch perf)
{
    public Task<CustomerProfile?> ReadAsync(long customerId)
    {
        var customer = grains.GetGrain<ICustomerGrain>(customerId);
        return perf.IsOptimized(PerfCatalog.GrainReadOnly) ? ReadCommittedAsync(customer) : ReadInTurnAsync(customer);
    }

    /// <summary>
    /// Naive: an ordinary call. The grain serves one call at a time, so a read of a customer whose grain is recording an
    /// order waits for that order's storage write, however long storage takes.
    /// </summary>
    private static Task<CustomerProfile?> ReadInTurnAsync(ICustomerGrain customer) => customer.GetProfileAsync();

    /// <summary>
    /// Optimized: a call that interleaves with the write in progress and answers the profile storage last confirmed
    /// (the order being recorded shows once its write succeeded).
    /// </summary>
    private static Task<CustomerProfile?> ReadCommittedAsync(ICustomerGrain customer) => customer.GetCommittedProfileAsync();
}
