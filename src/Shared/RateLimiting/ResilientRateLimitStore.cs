using Bff.Shared.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// Redis first, never waiting more than <see cref="RateLimitingOptions.RedisTimeout"/>; when Redis fails, the
/// configured mode (in-process at limit/N, or fail-open), a metric, a Warning, and a retry of Redis a second later —
/// so the host returns to Redis by itself and never answers 500 because of it.
/// </summary>
internal sealed partial class ResilientRateLimitStore(
    RedisRateLimitStore redis, IOptions<RateLimitingOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<ResilientRateLimitStore> logger)
    : IRateLimitStore
{
    private readonly RateLimitingOptions _options = options.Value;
    private readonly InProcessRateLimitStore _fallback = new(time) { Divisor = Math.Max(1, options.Value.Replicas) };
    private long _skipUntil;

    /// <summary>False while decisions are made without Redis (readiness reports it as degraded).</summary>
    public bool Healthy => Interlocked.Read(ref _skipUntil) <= time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken)
    {
        if (Healthy)
        {
            try
            {
                return await redis.DecideAsync(checks, cancellationToken).AsTask().WaitAsync(_options.RedisTimeout, time, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _skipUntil, time.GetUtcNow().ToUnixTimeMilliseconds() + 1_000);
                metrics.RateLimitStoreFailure();
                Log.RedisFailed(logger, e.GetType().Name, _options.RedisFailureMode);
            }
        }
        if (_options.RedisFailureMode == RedisFailureMode.FailOpen)
            return [.. checks.Select(c => new LimitResult(true, c.Rule.Limit, c.Rule.Period, TimeSpan.Zero))];
        return await _fallback.DecideAsync(checks, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Warning, "Rate limiting: Redis failed ({ExceptionType}); deciding with {Mode} and retrying Redis in a second")]
        public static partial void RedisFailed(ILogger logger, string exceptionType, RedisFailureMode mode);
    }
}
