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

    /// <summary>How long a strict decision waits for Redis (at least; RedisTimeout when that is longer).</summary>
    public static readonly TimeSpan StrictRedisTimeout = TimeSpan.FromSeconds(1);

    public ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, CancellationToken cancellationToken) =>
        DecideAsync(checks, strict: false, cancellationToken);

    /// <summary>
    /// <paramref name="strict"/>: for limits that must hold across replicas rather than answer fast (sign-in
    /// failures): waits up to <see cref="StrictRedisTimeout"/> for Redis and refuses when it does not answer in time;
    /// never fails open — when Redis is down (the client fails at once) it decides in process at limit/Replicas.
    /// </summary>
    public async ValueTask<LimitResult[]> DecideAsync(IReadOnlyList<LimitCheck> checks, bool strict, CancellationToken cancellationToken)
    {
        var timeout = strict && _options.RedisTimeout < StrictRedisTimeout ? StrictRedisTimeout : _options.RedisTimeout;
        // While Redis is failing, one request a second probes it, and every strict decision asks it (a disconnected
        // client fails at once); the others decide without it.
        var probe = strict || Healthy || (time.GetUtcNow().ToUnixTimeMilliseconds() >= Interlocked.Read(ref _retryAt) && Interlocked.CompareExchange(ref _probing, 1, 0) == 0);
        if (probe)
        {
            try
            {
                var results = await redis.DecideAsync(checks, cancellationToken).AsTask().WaitAsync(timeout, time, cancellationToken);
                Volatile.Write(ref _failing, 0);
                return results;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _retryAt, time.GetUtcNow().ToUnixTimeMilliseconds() + 1_000);
                Volatile.Write(ref _failing, 1);
                metrics.RateLimitStoreFailure();
                if (strict && e is TimeoutException)
                {
                    // Redis is there but slow (often a host starved by the very burst being limited): deciding in
                    // process now would count apart from the other replicas, so the strict limit refuses for a second.
                    Log.StrictTimedOut(logger, timeout);
                    return [.. checks.Select(_ => new LimitResult(false, 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))];
                }
                Log.RedisFailed(logger, e.GetType().Name, _options.RedisFailureMode);
            }
            finally
            {
                if (!strict) Volatile.Write(ref _probing, 0);
            }
        }
        if (_options.RedisFailureMode == RedisFailureMode.FailOpen && !strict)
            return [.. checks.Select(c => new LimitResult(true, c.Rule.Limit, c.Rule.Period, TimeSpan.Zero))];
        return await _fallback.DecideAsync(checks, cancellationToken);
    }

    public async ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        await _fallback.ForgetAsync(key, cancellationToken);
        try
        {
            await redis.ForgetAsync(key, cancellationToken).AsTask().WaitAsync(StrictRedisTimeout, time, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not worth failing a request over: the counter expires by itself.
            metrics.RateLimitStoreFailure();
            Log.RedisFailed(logger, e.GetType().Name, _options.RedisFailureMode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.RedisFailed, LogLevel.Warning, "Rate limiting: Redis failed ({ExceptionType}); deciding with {Mode} and retrying Redis in a second")]
        public static partial void RedisFailed(ILogger logger, string exceptionType, RedisFailureMode mode);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.StrictTimedOut, LogLevel.Warning, "Rate limiting: Redis did not answer a strict decision (sign-in) within {Timeout}; refused for a second")]
        public static partial void StrictTimedOut(ILogger logger, TimeSpan timeout);
    }
}
