namespace Bff.Shared.RateLimiting;

/// <summary>The outcome for one limit: allowed, what is left, when the window resets, when to retry.</summary>
internal readonly record struct LimitResult(bool Allowed, long Remaining, TimeSpan Reset, TimeSpan RetryAfter);
