using Bff.Shared.Security;
using Bff.Shared.Aggregation;
using Bff.Shared.Configuration;
using Bff.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// Ocelot's route finder (schema §4.3), run after ASP.NET Core routing found no endpoint of the host's own (health,
/// /bff/*, admin): candidates in priority order (stable, so file order breaks ties), filtered by method and
/// UpstreamHost, matched by path (plus query for query templates) and header templates. A route with an
/// UpstreamHost wins over one without; otherwise the first match wins. Checking a candidate allocates nothing:
/// placeholder values are extracted for the winner only.
/// </summary>
internal sealed partial class GatewayRoutingMiddleware(RequestDelegate next, GatewayConfigProvider provider, Observability.GatewayMetrics metrics,
    Microsoft.Extensions.Options.IOptionsMonitor<Observability.ObserverOptions> observer, Observability.GatewayAlerts alerts, TimeProvider time, Microsoft.Extensions.Logging.ILogger<GatewayRoutingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not null) return next(context);

        var model = provider.Current;
        var request = context.Request;
        // Headers only the gateway may set never arrive from the client: not in matching, not at the backend.
        foreach (var name in model.StrippedRequestHeaders) request.Headers.Remove(name);
        var path = request.Path.Value ?? "/";
        if (path.Length == 0) path = "/";
        var host = request.Host.Host;
        string? pathAndQuery = null;
        MatchTarget? firstWithoutHost = null;
        MatchTarget? winner = null;

        foreach (var route in model.Targets)
        {
            if (route.UpstreamHost is null ? firstWithoutHost is not null : !string.Equals(route.UpstreamHost, host, StringComparison.Ordinal))
                continue;
            if (!route.AllowsMethod(request.Method)) continue;
            var input = route.Upstream.HasQuery ? pathAndQuery ??= path + request.QueryString.Value : path;
            if (!route.Upstream.IsMatch(input) || !HeadersMatch(route, request.Headers)) continue;
            if (route.UpstreamHost is not null) { winner = route; break; }
            firstWithoutHost = route;
            if (!model.AnyUpstreamHost) break;
        }
        winner ??= firstWithoutHost;
        if (winner is null) return next(context);

        var values = new List<KeyValuePair<string, string>>(winner.Upstream.PlaceholderNames.Length);
        winner.Upstream.ExtractValues(winner.Upstream.HasQuery ? pathAndQuery! : path, values);
        foreach (var template in winner.HeaderTemplates)
        {
            if (template.CaptureNames.Length == 0) continue;
            System.Text.RegularExpressions.Match match;
            try { match = template.Pattern.Match(request.Headers[template.Header].ToString()); }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) { return next(context); }
            for (var i = 0; i < template.CaptureNames.Length; i++)
                values.Add(new(template.CaptureNames[i], match.Groups["h" + i].Value));
        }

        foreach (var (_, value) in values)
        {
            // A value that fills one placeholder must not be able to address another path downstream
            // (Kestrel decodes everything but %2F, so "\\" came from %5C; query and header values are decoded here).
            if (PathSafety.IsUnsafe(value))
                return GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request",
                    "A placeholder value contains a '..' segment or an encoded '/' or '\\'.");
        }

        if (winner is RouteModel matched) context.Features.Set(new GatewayFeature(matched, values));
        else context.Features.Set(new AggregateFeature((AggregateModel)winner, values));
        context.SetEndpoint(winner.Endpoint);
        // Only a span that is recorded goes anywhere: ASP.NET Core also creates an unrecorded activity per request
        // for log correlation, and tagging that one cost every request an allocation and a lock for nothing.
        if (System.Diagnostics.Activity.Current is { Recorded: true } activity)
        {
            activity.DisplayName = $"{request.Method} {winner.Id}";
            activity.SetTag("http.route", winner.Id);
            activity.SetTag("bff.route", winner.Id);
            activity.SetTag("bff.name", metrics.Bff);
        }
        return RunAndCountAsync(context, winner.Id);
    }

    private async Task RunAndCountAsync(HttpContext context, string route)
    {
        var started = time.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var source = context.Features.Get<GatewayAnswerFeature>() is null && !failed ? "downstream" : "gateway";
            if (Forwarding.ForwarderErrors.ClientWentAway(context))
            {
                // The client went away: nobody received an answer, so neither the backend nor the gateway failed.
                // Counted as 499 (nginx's "client closed request") from source "client", logged at Debug, and kept out
                // of the 5xx-ratio alert — whatever status the cancelled pipeline left behind.
                status = StatusCodes.Status499ClientClosedRequest;
                source = "client";
            }
            else
            {
                alerts.Answered(route, status);
            }
            metrics.GatewayRequest(route, status, source);
            LogRequest(context, route, status, source, time.GetElapsedTime(started));
        }
    }

    /// <summary>One structured line per gateway request. Only the route, the caller's id (never a credential), the
    /// status, who answered, the duration and the trace id. Successful requests at Debug: a console line per request
    /// cost a fifth of the gateway's CPU on a plain route (bench/results); errors at Warning.</summary>
    private void LogRequest(HttpContext context, string route, int status, string source, TimeSpan duration)
    {
        var options = observer.CurrentValue;
        var error = status >= 400 && status != StatusCodes.Status499ClientClosedRequest;
        if (options.RequestLog == Observability.RequestLogMode.Off || (!error && options.RequestLog == Observability.RequestLogMode.Errors)) return;
        if (!error && options.RequestLogSampleRate < 1 && Random.Shared.NextDouble() >= options.RequestLogSampleRate) return;
        var level = error ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Debug;
        if (!logger.IsEnabled(level)) return; // nothing below is worth building for a line nobody keeps
        var user = context.User;
        var client = user.FindFirst(ApiKeys.ApiKeyDefaults.ClientIdClaim)?.Value ?? user.FindFirst("sub")?.Value ?? "-";
        var traceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        Log.Request(logger, level, context.Request.Method, route, client, status, source, duration.TotalMilliseconds, traceId);
    }

    private static partial class Log
    {
        [Microsoft.Extensions.Logging.LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.Request, Message = "Gateway request {Method} {Route} client {ClientId} → {StatusCode} from {Source} in {ElapsedMs} ms trace {TraceId}")]
        public static partial void Request(Microsoft.Extensions.Logging.ILogger logger, Microsoft.Extensions.Logging.LogLevel level, string method, string route,
            string clientId, int statusCode, string source, double elapsedMs, string traceId);
    }

    private static bool HeadersMatch(MatchTarget route, IHeaderDictionary headers)
    {
        foreach (var template in route.HeaderTemplates)
        {
            if (!headers.TryGetValue(template.Header, out var values)) return false;
            var value = values.Count == 1 ? values[0] : values.ToString();
            if (string.IsNullOrWhiteSpace(value)) return false;
            try { if (!template.Pattern.IsMatch(value)) return false; }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) { return false; }
        }
        return true;
    }
}
