namespace Bff.Shared.RateLimiting;

/// <summary>How a limit counts.</summary>
internal enum RateLimitAlgorithm
{
    /// <summary>Ocelot's: a window of Period that starts with the first request.</summary>
    FixedWindow,
    /// <summary>A sliding counter over the current and the previous window (no double burst at a boundary).</summary>
    SlidingWindow,
    /// <summary>GCRA: a token bucket of Limit tokens refilled evenly over Period.</summary>
    TokenBucket,
}
