using PerfReference.OrdersService.Payments;

namespace PerfReference.UnitTests;

/// <summary>
/// The payment worker claims a payment whenever a place to settle it is free, not when a whole batch has settled:
/// one slow payment must not hold back the claims of the places the others gave back.
/// </summary>
public sealed class SettlementSlotsTests
{
    [Fact]
    public async Task TakesEveryFreePlaceUpToWhatIsAskedFor()
    {
        var slots = new SettlementSlots(4);

        Assert.Equal(3, await slots.TakeAsync(3, TestContext.Current.CancellationToken));
        Assert.Equal(1, await slots.TakeAsync(50, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APlaceGivenBackByOneSettlementIsTakenWhileTheOthersStillRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = new SettlementSlots(3);
        Assert.Equal(3, await slots.TakeAsync(3, ct));
        var settlements = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var running = settlements.Select(settlement => slots.RunAsync(() => settlement.Task)).ToArray();

        var next = slots.TakeAsync(3, ct);
        Assert.False(next.IsCompleted); // every place is settling

        settlements[1].SetResult();
        Assert.Equal(1, await next.WaitAsync(TimeSpan.FromSeconds(10), ct)); // the freed place, the other two still settling
        Assert.False(running[0].IsCompleted);
        Assert.False(running[2].IsCompleted);
    }

    [Fact]
    public async Task AFailedSettlementGivesItsPlaceBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = new SettlementSlots(1);
        Assert.Equal(1, await slots.TakeAsync(1, ct));

        await Assert.ThrowsAsync<InvalidOperationException>(() => slots.RunAsync(() => throw new InvalidOperationException("provider away")));

        Assert.Equal(1, await slots.TakeAsync(1, ct).WaitAsync(TimeSpan.FromSeconds(10), ct));
    }

    [Fact]
    public async Task PlacesTakenAndNotUsedAreReturned()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = new SettlementSlots(5);
        var taken = await slots.TakeAsync(5, ct);

        slots.Return(taken - 2); // two payments were due
        var more = await slots.TakeAsync(5, ct);

        Assert.Equal(3, more);
    }

    [Fact]
    public async Task DrainingWaitsForEverySettlementStarted()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = new SettlementSlots(2);
        var settlement = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal(2, await slots.TakeAsync(2, ct));
        slots.Return(1);
        _ = slots.RunAsync(() => settlement.Task);

        var drained = slots.DrainAsync();
        await Task.Delay(50, ct);
        Assert.False(drained.IsCompleted);

        settlement.SetResult();
        await drained.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(2, await slots.TakeAsync(2, ct)); // drained, and every place free again
    }
}
