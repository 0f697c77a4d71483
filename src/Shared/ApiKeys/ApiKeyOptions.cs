using System.Text;

namespace Bff.Shared.ApiKeys;

/// <summary>API key settings (<c>ApiKeys</c> section).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary><c>ApiKeys:Pepper</c>: the HMAC secret; required outside Development.</summary>
    public string? Pepper { get; set; }

    /// <summary><c>ApiKeys:Environment</c>: the env part of new keys (default "live"; "test" in Development).</summary>
    public string? Environment { get; set; }

    /// <summary>Grace period of the old key when rotating (default 24 h).</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a looked-up key stays cached (revocations evict it at once on every replica).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>ApiKeys:CacheEntries</c>: key records held in memory at most (default 50 000); "no such key"
    /// answers are held a second and never written to Redis, so guessed ids cannot grow either.</summary>
    public int CacheEntries { get; set; } = 50_000;

    /// <summary>Failed attempts from one address within a minute before it is blocked.</summary>
    public int MaxFailuresPerMinute { get; set; } = 20;

    /// <summary><c>ApiKeys:FailureSpikeAlertThreshold</c>: failed key attempts across all callers within a minute that
    /// raise an <c>auth-failures</c> alert (default 100).</summary>
    public int FailureSpikeAlertThreshold { get; set; } = 100;

    /// <summary>How long a blocked address stays blocked.</summary>
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromMinutes(5);

    internal const string DevelopmentPepper = "bffs-development-pepper-not-for-production";

    // Validation refuses a missing pepper outside Development, so the fallback is only ever the development one.
    internal byte[] PepperBytes => Encoding.UTF8.GetBytes(Pepper ?? DevelopmentPepper);
}
