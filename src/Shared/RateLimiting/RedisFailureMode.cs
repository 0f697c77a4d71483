namespace Bff.Shared.RateLimiting;

/// <summary>What a host does when Redis cannot decide in time.</summary>
public enum RedisFailureMode
{
    /// <summary>Decide in process with each limit divided by <see cref="RateLimitingOptions.Replicas"/> (default).</summary>
    LocalFallback,
    /// <summary>Let requests through.</summary>
    FailOpen,
}
