using OrderHub.Domain.Export;

namespace OrderHub.UnitTests.Domain;

public sealed class ExportQueueEntryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reopening_an_attempted_entry_keeps_its_lookup_window_and_asks_for_a_lookup()
    {
        var entry = new ExportQueueEntry { Attempts = 6, FirstAttemptAt = Start, LastAttemptAt = Start.AddMinutes(30), State = ExportQueueState.Failed };

        entry.Reopen(Start.AddHours(2));

        entry.State.ShouldBe(ExportQueueState.Pending);
        entry.Attempts.ShouldBe(0);
        entry.Generation.ShouldBe(1);
        entry.FirstAttemptAt.ShouldBe(Start, "an attempt of this generation may still be at the POS: the lookup starts at the first one");
        entry.MayHaveReachedPos.ShouldBeTrue();
    }

    [Fact]
    public void A_new_generation_starts_with_no_attempts_and_no_lookup()
    {
        var entry = new ExportQueueEntry { Attempts = 2, FirstAttemptAt = Start, LastAttemptAt = Start.AddMinutes(1), MayHaveReachedPos = true };

        entry.StartNewGeneration(Start.AddHours(1));

        entry.Generation.ShouldBe(2);
        entry.MessageId.ShouldEndWith("_create_2");
        entry.FirstAttemptAt.ShouldBeNull();
        entry.LastAttemptAt.ShouldBeNull();
        entry.MayHaveReachedPos.ShouldBeFalse();
        entry.NextAttemptAt.ShouldBe(Start.AddHours(1));
    }

    [Fact]
    public void Reopening_an_entry_never_attempted_needs_no_lookup()
    {
        var entry = new ExportQueueEntry { State = ExportQueueState.Failed };

        entry.Reopen(Start);

        entry.MayHaveReachedPos.ShouldBeFalse();
        entry.FirstAttemptAt.ShouldBeNull();
    }
}
