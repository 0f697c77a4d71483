using NUnit.Framework;

namespace Bff.Testing;

/// <summary>Waiting for something that happens in the background (a reload, an exported span, an alert), bounded in
/// time: the condition is polled until it holds or the time is up, and the test fails with what it waited for.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls <paramref name="condition"/> until it is true; fails the test after <paramref name="within"/>.
    /// An <see cref="InvalidOperationException"/> from the condition (a collection changed while it was read by a
    /// background exporter) counts as "not yet".</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await Safe(condition)) return;
            if (DateTime.UtcNow >= deadline) break;
            await Task.Delay(Poll);
        }
        Assert.Fail($"{what}: not within {within.TotalSeconds:0.###} s");
    }

    /// <inheritdoc cref="HoldsAsync(Func{Task{bool}}, TimeSpan, string)"/>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan within, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what);

    private static async Task<bool> Safe(Func<Task<bool>> condition)
    {
        try { return await condition(); }
        catch (InvalidOperationException) { return false; }
    }
}
