namespace Bff.Shared.RateLimiting;

/// <summary>
/// Decides all limits of one request at once: either every limit has room and each consumes one, or none consumes
/// (a refused request does not use up anything).
/// </summary>
internal interface IRateLimitStore
{
    ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken);

    /// <summary>Forgets a fixed-window or token-bucket counter and its Wait ban (a sign-in's failures once it succeeds).</summary>
    ValueTask ForgetAsync(string key, CancellationToken cancellationToken);
}
