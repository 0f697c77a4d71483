namespace Bff.Shared.RateLimiting;

/// <summary>Host settings of rate limiting (<c>RateLimiting</c> section).</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Send RateLimit-Policy, RateLimit and X-RateLimit-* on allowed answers (Bff.Web turns this off).</summary>
    public bool Headers { get; set; } = true;

    public RedisFailureMode RedisFailureMode { get; set; } = RedisFailureMode.LocalFallback;

    /// <summary>How many replicas share the limits: the in-process fallback allows limit/Replicas per replica.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>The longest a decision waits for Redis.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Refusals of one client within a minute that raise an alert.</summary>
    public int AlertThreshold { get; set; } = 10;
}
