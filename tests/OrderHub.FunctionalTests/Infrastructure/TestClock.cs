namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>A clock the test moves by hand. Starts at the real time so signatures made with it are fresh.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
