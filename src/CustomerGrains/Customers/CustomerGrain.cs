namespace PerfReference.CustomerGrains.Customers;

/// <summary>
/// A customer as the order path needs it. State lives in grain storage (Redis); the first activation
/// ever copies the customer's row from the orders database, later activations read storage only.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", "Default")] IPersistentState<CustomerState> state,
    CustomerDirectory directory) : Grain, ICustomerGrain
{
    /// <summary>How many recent order ids are remembered to make recording idempotent (a retry comes soon after the first try).</summary>
    private const int RememberedOrders = 64;

    private bool _exists;

    /// <summary>
    /// The profile as storage holds it: built when the activation has read (or first written) its state and replaced
    /// only after a write succeeded. Immutable, so a read that interleaves with a write in progress can hand it out as it is.
    /// </summary>
    private CustomerProfile? _committed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _exists = state.RecordExists;
        if (!_exists && await directory.FindAsync(this.GetPrimaryKeyLong(), cancellationToken) is { } row)
        {
            state.State = row;
            await state.WriteStateAsync(cancellationToken);
            _exists = true;
        }

        _committed = _exists ? ToProfile() : null;
    }

    /// <summary>
    /// The ordinary read: a turn of its own, so it waits behind a RecordOrder that waits for storage (the naive side of
    /// catalog entry grain-read-only, where a hot customer's reads meet its writes).
    /// </summary>
    public Task<CustomerProfile?> GetProfileAsync() =>
        Task.FromResult(_exists ? ToProfile() : null);

    /// <summary>
    /// Optimized (grain-read-only): interleaves with a RecordOrder in progress and answers the last committed profile,
    /// not the state that write is changing — that state is not in storage yet and, should the write fail, never will
    /// be (the activation is then dropped). A read never returns what storage does not hold.
    /// </summary>
    public Task<CustomerProfile?> GetCommittedProfileAsync() => Task.FromResult(_committed);

    public async Task<CustomerProfile> RecordOrderAsync(OrderPlaced order)
    {
        if (!_exists)
        {
            throw new InvalidOperationException($"Customer {this.GetPrimaryKeyLong()} does not exist; no order can be recorded for it.");
        }

        var customer = state.State;
        if (customer.RecentOrderIds.Contains(order.OrderId))
        {
            return ToProfile();
        }

        customer.LoyaltyPoints += (int)(order.TotalMinor / 100);
        customer.OrderCount++;
        if (customer.LastOrderAt is null || order.PlacedAt > customer.LastOrderAt)
        {
            customer.LastOrderAt = order.PlacedAt;
        }

        customer.RecentOrderIds.Add(order.OrderId);
        if (customer.RecentOrderIds.Count > RememberedOrders)
        {
            customer.RecentOrderIds.RemoveAt(0);
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Storage may not have the order (Redis restarting, a write timed out) while this activation does: a retry of
            // the same order would then look like a duplicate and never be written. Drop the activation; the retry
            // activates the grain again from what storage really holds.
            DeactivateOnIdle();
            throw;
        }

        _committed = ToProfile();
        return _committed;
    }

    private CustomerProfile ToProfile() => new(
        this.GetPrimaryKeyLong(),
        state.State.Name,
        state.State.Email,
        state.State.Tier,
        state.State.LoyaltyPoints,
        state.State.LastOrderAt,
        state.State.OrderCount);
}
