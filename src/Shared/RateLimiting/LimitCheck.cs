namespace Bff.Shared.RateLimiting;

/// <summary>One limit to check for one counter key.</summary>
internal readonly record struct LimitCheck(string Key, RateLimitRule Rule);
