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
    private long _retryAt;
    private int _failing;
    private int _probing;

    /// <summary>False while decisions are made without Redis (readiness reports it as degraded) — until Redis answers again.</summary>
    public bool Healthy => Volatile.Read(ref _failing) == 0;

    public async ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken)
    {
        // While Redis is failing, one request a second probes it; the others decide without it.
        var probe = Healthy || (time.GetUtcNow().ToUnixTimeMilliseconds() >= Interlocked.Read(ref _retryAt) && Interlocked.CompareExchange(ref _probing, 1, 0) == 0);
        if (probe)
        {
            try
            {
                var results = await redis.DecideAsync(checks, cancellationToken).AsTask().WaitAsync(_options.RedisTimeout, time, cancellationToken);
                Volatile.Write(ref _failing, 0);
                return results;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _retryAt, time.GetUtcNow().ToUnixTimeMilliseconds() + 1_000);
                Volatile.Write(ref _failing, 1);
                metrics.RateLimitStoreFailure();
                Log.RedisFailed(logger, e.GetType().Name, _options.RedisFailureMode);
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
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
