using System.Diagnostics;
using PerfReference.LoadLab.Serve;

namespace PerfReference.UnitTests.LoadLab;

/// <summary>The serve API's runs and drills share one slot: whatever holds it, nothing else starts until it ends.</summary>
public sealed class LabSlotTests
{
    [Fact]
    public async Task WhileADrillRunsARunDoesNotStartAndAfterItItDoes()
    {
        var slot = new LabSlot();
        var drill = new TaskCompletionSource();

        var started = slot.TryStart("the drill silo-kill", () => drill.Task);

        Assert.NotNull(started);
        Assert.Null(slot.TryStart("a run of n-plus-one-db", () => Task.CompletedTask));
        Assert.Equal("the drill silo-kill", slot.Busy);

        drill.SetResult();
        await started;
        Assert.Null(slot.Busy);
        Assert.NotNull(slot.TryStart("a run of n-plus-one-db", () => Task.CompletedTask));
    }

    [Fact]
    public async Task TheWorkDoesNotRunUnderTheActivityOfTheRequestThatStartedIt()
    {
        var slot = new LabSlot();
        using var asking = new Activity("POST /runs").Start();
        Activity? seenByTheWork = asking;

        await slot.TryStart("a run of n-plus-one-db", () =>
        {
            seenByTheWork = Activity.Current;
            return Task.CompletedTask;
        })!;

        // Each request of the run starts a trace of its own, not a span of the asking request's trace.
        Assert.Null(seenByTheWork);
        Assert.Same(asking, Activity.Current);
    }

    [Fact]
    public async Task OfARunAndADrillAskedForAtTheSameMomentOneStarts()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var slot = new LabSlot();
            var hold = new TaskCompletionSource();
            using var ready = new Barrier(2);
            Task? Ask(string what)
            {
                ready.SignalAndWait();
                return slot.TryStart(what, () => hold.Task);
            }

            var ct = TestContext.Current.CancellationToken;
            var asked = await Task.WhenAll(
                Task.Factory.StartNew(() => Ask("a run"), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default),
                Task.Factory.StartNew(() => Ask("a drill"), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default));

            Assert.Equal(1, asked.Count(task => task is not null));
            hold.SetResult();
        }
    }
}
