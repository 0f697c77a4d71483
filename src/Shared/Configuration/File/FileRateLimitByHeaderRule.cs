namespace Bff.Shared.Configuration.File;

internal class FileRateLimitByHeaderRule
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
