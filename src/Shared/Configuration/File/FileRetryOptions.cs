namespace Bff.Shared.Configuration.File;

/// <summary>Extension (not in Ocelot): retries of idempotent requests that failed before any answer was streamed.</summary>
internal class FileRetryOptions
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
