namespace Bff.Shared.Configuration.File;

public class FileAuthenticationOptions
{
    public List<string>? AuthenticationProviderKeys { get; set; }
    /// <summary>Obsolete single key; merged in front of <see cref="AuthenticationProviderKeys"/>.</summary>
    public string? AuthenticationProviderKey { get; set; }
    public List<string>? AllowedScopes { get; set; }
    public bool? AllowAnonymous { get; set; }

    public IEnumerable<string> AllKeys()
    {
        if (!string.IsNullOrWhiteSpace(AuthenticationProviderKey)) yield return AuthenticationProviderKey;
        foreach (var key in AuthenticationProviderKeys ?? [])
            if (!string.IsNullOrWhiteSpace(key)) yield return key;
    }
}

public sealed class FileGlobalAuthenticationOptions : FileAuthenticationOptions
{
    public List<string>? RouteKeys { get; set; }
}

public class FileCacheOptions
{
    public int? TtlSeconds { get; set; }
    public string? Region { get; set; }
    public string? Header { get; set; }
    public bool? EnableContentHashing { get; set; }

    /// <summary>Extension: on an authenticated route, one entry for every caller (default false: per identity).</summary>
    public bool? Shared { get; set; }

    /// <summary>Extension: how long past its TTL an entry may still be served when the downstream fails (default 300 s).</summary>
    public int? StaleIfErrorSeconds { get; set; }
}

public sealed class FileGlobalCacheOptions : FileCacheOptions
{
    public List<string>? RouteKeys { get; set; }
}

public class FileQoSOptions
{
    public int? MinimumThroughput { get; set; }
    public int? ExceptionsAllowedBeforeBreaking { get; set; }
    public int? BreakDuration { get; set; }
    public int? DurationOfBreak { get; set; }
    public double? FailureRatio { get; set; }
    public int? SamplingDuration { get; set; }
    public int? Timeout { get; set; }
    public int? TimeoutValue { get; set; }

    /// <summary>Ocelot: QoS is "used" when any of these is positive (legacy names win).</summary>
    public bool IsUsed =>
        (ExceptionsAllowedBeforeBreaking ?? MinimumThroughput) > 0
        || (TimeoutValue ?? Timeout) > 0
        || FailureRatio > 0;
}

public sealed class FileGlobalQoSOptions : FileQoSOptions
{
    public List<string>? RouteKeys { get; set; }
}

/// <summary>Extension (not in Ocelot): retries of idempotent requests that failed before any answer was streamed.</summary>
public class FileRetryOptions
{
    /// <summary>Retries after the first attempt (0 = off, the default; at most 10).</summary>
    public int? Count { get; set; }
    /// <summary>Base of the exponential backoff, in ms (default 100); each wait is jittered.</summary>
    public int? DelayMs { get; set; }
    /// <summary>Longest single wait, in ms (default 2000).</summary>
    public int? MaxDelayMs { get; set; }
    /// <summary>Retry PUT and DELETE too (default false: only GET, HEAD, OPTIONS, TRACE).</summary>
    public bool? RetryPutAndDelete { get; set; }
    /// <summary>Retries may be at most this percentage of the route's requests (default 10).</summary>
    public double? BudgetPercent { get; set; }
}

public sealed class FileGlobalRetryOptions : FileRetryOptions
{
    public List<string>? RouteKeys { get; set; }
}

public class FileLoadBalancerOptions
{
    public string? Type { get; set; }
    public string? Key { get; set; }
    public int? Expiry { get; set; }
}

public sealed class FileGlobalLoadBalancerOptions : FileLoadBalancerOptions
{
    public List<string>? RouteKeys { get; set; }
}

public class FileHttpHandlerOptions
{
    public bool? AllowAutoRedirect { get; set; }
    public int? MaxConnectionsPerServer { get; set; }
    public int? PooledConnectionLifetimeSeconds { get; set; }
    public bool? UseCookieContainer { get; set; }
    public bool? UseProxy { get; set; }
    public bool? UseTracing { get; set; }
}

public sealed class FileGlobalHttpHandlerOptions : FileHttpHandlerOptions
{
    public List<string>? RouteKeys { get; set; }
}

public class FileRateLimitByHeaderRule
{
    public bool? EnableRateLimiting { get; set; }
    public bool? EnableHeaders { get; set; }
    public bool? DisableRateLimitHeaders { get; set; }
    public long? Limit { get; set; }
    public string? Period { get; set; }
    public string? Wait { get; set; }
    public double? PeriodTimespan { get; set; }
    public int? StatusCode { get; set; }
    public int? HttpStatusCode { get; set; }
    public string? QuotaMessage { get; set; }
    public string? QuotaExceededMessage { get; set; }
    public string? KeyPrefix { get; set; }
    public string? RateLimitCounterPrefix { get; set; }
    public string? ClientIdHeader { get; set; }
    public List<string>? ClientWhitelist { get; set; }

    /// <summary>Extension: <c>FixedWindow</c> (Ocelot's, default), <c>SlidingWindow</c> or <c>TokenBucket</c> (GCRA).</summary>
    public string? Algorithm { get; set; }

    /// <summary>Extension: more limits enforced together with Limit/Period (e.g. a burst per second and a quota per day).</summary>
    public List<FileRateLimitExtraRule>? Limits { get; set; }

    /// <summary>Ocelot: a present section enables rate limiting unless it says otherwise.</summary>
    public bool IsEnabled => EnableRateLimiting != false;

    /// <summary>The section sets an actual limit (a global block with only ClientIdHeader, messages … sets defaults).</summary>
    public bool SetsLimit => IsEnabled && (Limit is not null || !string.IsNullOrWhiteSpace(Period));
}

/// <summary>Extension: one more limit of a route (<c>RateLimitOptions.Limits[]</c>).</summary>
public sealed class FileRateLimitExtraRule
{
    public string? Name { get; set; }
    public long? Limit { get; set; }
    public string? Period { get; set; }
}

public sealed class FileGlobalRateLimitByHeaderRule : FileRateLimitByHeaderRule
{
    public List<string>? RouteKeys { get; set; }
}

public sealed class FileSecurityOptions
{
    public List<string> IPAllowedList { get; set; } = [];
    public List<string> IPBlockedList { get; set; } = [];
    public bool ExcludeAllowedFromBlocked { get; set; }
}

public sealed class FileHostAndPort
{
    public string? Host { get; set; }
    public int Port { get; set; }
}

public sealed class FileServiceDiscoveryProvider
{
    public string? Scheme { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; }
    public string? Type { get; set; }
    public string? Token { get; set; }
    public string? ConfigurationKey { get; set; }
    public int PollingInterval { get; set; }
    public string? Namespace { get; set; }

    /// <summary>Ocelot only requires a discovery provider when a Type is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Type);
}

public sealed class FileMetadataOptions
{
    public string? CurrentCulture { get; set; }
    public string? NumberStyle { get; set; }
    public List<string>? Separators { get; set; }
    public string? StringSplitOption { get; set; }
    public List<string>? TrimChars { get; set; }
}
