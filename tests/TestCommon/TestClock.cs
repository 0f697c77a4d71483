using Microsoft.Extensions.Time.Testing;

namespace Bff.Testing;

/// <summary>
/// Fake clocks for tests. A fake clock that meets a real one (a cookie jar, Chromium, a database's own now) must
/// start at the real now, so every test clock starts there: never at a literal date.
/// </summary>
public static class TestClock
{
    /// <summary>A fake clock at the real now, rounded down to the whole minute (so fixed windows start with it).</summary>
    public static FakeTimeProvider StartingNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
    }
}
