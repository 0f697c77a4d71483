using Bff.Shared.LoadBalancing;
using Bff.Shared.Observability;
using Bff.Shared.Problems;
using Bff.Shared.Resilience;
using Polly.CircuitBreaker;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>
/// The last step of the route pipeline: load balancing, then YARP's <see cref="IHttpForwarder"/> streams the request
/// and the response. Expected failures become problem+json; nothing is buffered whole.
/// </summary>
internal sealed partial class GatewayForwarder(IHttpForwarder forwarder, GatewayTransformer transformer, CircuitBreakers circuits, GatewayMetrics metrics,
    TimeProvider time, ILogger<GatewayForwarder> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<GatewayFeature>()
            ?? throw new InvalidOperationException("A gateway endpoint ran without the gateway routing middleware.");
        var route = feature.Route;
        // A ServiceName route whose service discovery has not found an instance (yet): no destination to pick.
        if (route.LoadBalancer.Destinations.Length == 0)
        {
            await NoInstanceAsync(context, route);
            return;
        }

        if (route.Qos is not { HasCircuitBreaker: true })
        {
            if (route.LoadBalancer.Pick() is not { } picked)
            {
                await NoInstanceAsync(context, route); // the instances went away since the check above
                return;
            }
            var error = await SendAsync(context, feature, picked);
            if (error != ForwarderError.None) await HandleErrorAsync(context, route, error);
            return;
        }

        // Circuit breakers: the load balancer skips destinations whose circuit is open; a destination whose circuit
        // rejects the call (opened meanwhile, or half-open with its probe in flight) was not sent anything, so the
        // request moves on to the next one. Only when every circuit is open does the caller get 503.
        List<Destination>? tried = null;
        TimeSpan? retryAfter = null;
        while (true)
        {
            var destination = route.LoadBalancer.PickAvailable(tried) ?? (tried is null ? route.LoadBalancer.Pick() : null);
            if (destination is null)
            {
                CircuitLog.Rejected(logger, route.Id);
                metrics.CircuitRejection(route.Id);
                var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? route.Qos.BreakDuration).TotalSeconds));
                await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                    "The downstream service is failing; its circuit breaker is open.", null,
                    ("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return;
            }

            var circuit = circuits.For(route, destination);
            try
            {
                var outcome = await circuit.Pipeline.ExecuteAsync(static async (state, _) =>
                {
                    var (self, ctx, feat, dest) = state;
                    var error = await self.SendAsync(ctx, feat, dest);
                    return new ForwardOutcome(error, ctx.Response.StatusCode, ForwarderErrors.ClientWentAway(ctx));
                }, (this, context, feature, destination), context.RequestAborted);
                if (outcome.Error != ForwarderError.None) await HandleErrorAsync(context, route, outcome.Error);
                return;
            }
            catch (BrokenCircuitException e)
            {
                if (e.RetryAfter is { } after && (retryAfter is null || after < retryAfter)) retryAfter = after;
                (tried ??= []).Add(destination);
            }
        }
    }

    private async ValueTask<ForwarderError> SendAsync(HttpContext context, GatewayFeature feature, Destination destination)
    {
        var route = feature.Route;
        feature.Destination = destination;
        var scheme = route.DownstreamScheme ?? context.Request.Scheme;
        var httpScheme = scheme switch { "ws" => "http", "wss" => "https", _ => scheme };
        // Port 0: the port the request arrived on — never the client's Host header, which could name any local port.
        var port = destination.Port != 0 ? destination.Port : context.Connection.LocalPort is > 0 and var local ? local : (httpScheme == "https" ? 443 : 80);
        var host = destination.Host.Contains(':') && !destination.Host.StartsWith('[') ? $"[{destination.Host}]" : destination.Host;
        feature.DestinationPrefix = $"{httpScheme}://{host}:{port}";
        feature.DownstreamBaseUrl = (httpScheme, port) is ("http", 80) or ("https", 443) ? $"{httpScheme}://{host}/" : $"{httpScheme}://{host}:{port}/";

        if (System.Diagnostics.Activity.Current is { Recorded: true } activity) activity.SetTag("bff.destination", feature.DestinationPrefix);
        Interlocked.Increment(ref destination.ActiveRequests);
        var started = time.GetTimestamp();
        try
        {
            return await forwarder.SendAsync(context, feature.DestinationPrefix, route.Invoker, route.RequestConfig, transformer);
        }
        finally
        {
            Interlocked.Decrement(ref destination.ActiveRequests);
            metrics.DownstreamDuration(route.Id, feature.DestinationPrefix, time.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task HandleErrorAsync(HttpContext context, RouteModel route, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (ForwarderErrors.ClientWentAway(context) || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled)
        {
            // The client went away: nothing to answer, and not a server error.
            Log.ClientAborted(logger, route.Id, error);
            return;
        }

        switch (error)
        {
            case ForwarderError.RequestTimedOut:
            case ForwarderError.Request when exception is TimeoutException: // the retry handler's last attempt timed out
                Log.DownstreamTimeout(logger, route.Id, route.RequestConfig.ActivityTimeout);
                await GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Gateway Timeout",
                    "The downstream service did not answer in time.");
                return;
            case ForwarderError.RequestBodyClient when IsTooLarge(exception):
                await PayloadTooLarge(context);
                return;
            case ForwarderError.RequestBodyClient:
                await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", "The request body could not be read.");
                return;
            case ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders:
                Log.DownstreamFailed(logger, route.Id, error, exception?.GetType().Name, exception?.Message);
                await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                    "The downstream service could not be reached or failed to answer.");
                return;
            case ForwarderError.NoAvailableDestinations:
                await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                    "No downstream destination is available.");
                return;
            default:
                // The response had started (body streaming failed midway): the connection is reset, nothing to write.
                Log.DownstreamFailed(logger, route.Id, error, exception?.GetType().Name, exception?.Message);
                return;
        }
    }

    private static Task NoInstanceAsync(HttpContext context, RouteModel route) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            $"No instance of the service '{route.LoadBalancer.Service?.Name}' is known yet.", null, ("Retry-After", "1"));

    internal static bool IsTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) return true;
        return false;
    }

    internal static Task PayloadTooLarge(HttpContext context) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
            "The request body is larger than this route accepts.");

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ClientAborted, LogLevel.Debug, "Client aborted request on route {RouteId} ({Error})")]
        public static partial void ClientAborted(ILogger logger, string routeId, ForwarderError error);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.DownstreamTimeout, LogLevel.Warning, "Downstream timeout on route {RouteId} after {Timeout}")]
        public static partial void DownstreamTimeout(ILogger logger, string routeId, TimeSpan? timeout);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.DownstreamFailed, LogLevel.Warning, "Downstream failure on route {RouteId}: {Error} {ExceptionType} {Reason}")]
        public static partial void DownstreamFailed(ILogger logger, string routeId, ForwarderError error, string? exceptionType, string? reason);
    }
}
