namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A plan (<c>plans</c>): a rate limit and a quota, e.g. 100/1s and 100000/1d.</summary>
internal sealed class PlanEntity
{
    public required string Name { get; set; }
    public long? RateLimit { get; set; }
    public TimeSpan? RatePeriod { get; set; }
    public long? QuotaLimit { get; set; }
    public TimeSpan? QuotaPeriod { get; set; }
    public DateTime UpdatedAt { get; set; }
}
