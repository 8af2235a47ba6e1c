namespace PerfReference.CustomerGrains.Customers;

/// <summary>
/// A customer as the order path needs it. State lives in grain storage (Redis); the first activation
/// ever copies the customer's row from the orders database, later activations read storage only.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", "Default")] IPersistentState<CustomerState> state,
    CustomerDirectory directory) : Grain, ICustomerGrain
{
    private bool _exists;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _exists = state.RecordExists;
        if (_exists)
        {
            return;
        }

        if (await directory.FindAsync(this.GetPrimaryKeyLong(), cancellationToken) is { } row)
        {
            state.State = row;
            await state.WriteStateAsync(cancellationToken);
            _exists = true;
        }
    }

    public Task<CustomerProfile?> GetProfileAsync() =>
        Task.FromResult(_exists ? ToProfile() : null);

    private CustomerProfile ToProfile() => new(
        this.GetPrimaryKeyLong(),
        state.State.Name,
        state.State.Email,
        state.State.Tier,
        state.State.LoyaltyPoints,
        state.State.LastOrderAt,
        state.State.OrderCount);
}
