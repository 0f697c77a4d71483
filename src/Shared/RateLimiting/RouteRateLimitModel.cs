namespace Bff.Shared.RateLimiting;

/// <summary>A route's rate limiting (Ocelot's RateLimitOptions, merged with the global section), compiled.</summary>
internal sealed record RouteRateLimitModel(
    RateLimitRule[] Rules, string[] Whitelist, string ClientIdHeader, int StatusCode, string QuotaMessage, bool EnableHeaders, string KeyPrefix);
