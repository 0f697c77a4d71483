using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Bff.Shared.Problems;

/// <summary>
/// Redis cannot be reached at all (no master and no replica answers; a failover is usually over in seconds): what
/// needs it (a session lookup) answers 503 problem+json with Retry-After, not 500. Features with their own fallback
/// (rate limits, caches) never get here.
/// </summary>
internal sealed partial class RedisUnavailableExceptionHandler(ILogger<RedisUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (RedisConnectionException or RedisTimeoutException) || httpContext.Response.HasStarted) return false;
        Log.Unavailable(logger, exception.GetType().Name, httpContext.Request.Path);
        await GatewayProblems.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The session store is unavailable; try again shortly.", headers: ("Retry-After", "1"));
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.RedisUnavailable, LogLevel.Warning, "Redis unavailable ({ExceptionType}) for {Path}: answered 503")]
        public static partial void Unavailable(ILogger logger, string exceptionType, PathString path);
    }
}
