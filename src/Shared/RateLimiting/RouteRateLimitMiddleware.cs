using System.Globalization;
using System.Text;
using Bff.Shared.ApiKeys;
using Bff.Shared.Observability;
using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bff.Shared.RateLimiting;

/// <summary>
/// The route-level rate limit: the route's limits (Ocelot's RateLimitOptions and our extra ones) and, for partners,
/// their plan's rate and quota — all decided in one store call. The client is the authenticated principal
/// (<c>client_id</c>, else <c>sub</c>), else the ClientIdHeader value, else the remote address. It runs after
/// authentication, so a principal's limits can be told apart (Ocelot limits before authenticating).
/// </summary>
internal sealed class RouteRateLimitMiddleware(
    RequestDelegate next, IRateLimitStore store, PlanLimits plans, RateLimitAlerts alerts, GatewayMetrics metrics,
    IOptions<RateLimitingOptions> options, TimeProvider time)
{
    public const string ProblemType = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    public Task InvokeAsync(HttpContext context)
    {
        var route = context.Features.Get<GatewayFeature>()!.Route;
        // A partner is its API key's client; a user is issuer + subject; otherwise the ClientIdHeader (Ocelot), else
        // the address. Kinds never mix: a header cannot pass for a partner, nor match a partner's whitelist entry.
        var partner = ApiKeyDefaults.PartnerOf(context.User);
        var clientId = partner?.FindFirst(ApiKeyDefaults.ClientIdClaim)?.Value;
        var plan = clientId is null ? null : partner!.FindFirst(ApiKeyDefaults.PlanClaim)?.Value;
        // Nothing to limit: straight on, without an async step of its own.
        return route.RateLimit is null && plan is null ? next(context) : LimitAsync(context, route, clientId, plan);
    }

    private async Task LimitAsync(HttpContext context, RouteModel route, string? clientId, string? plan)
    {
        var model = route.RateLimit;
        var user = context.User;
        string identity;
        string whitelistValue;
        if (clientId is not null) (identity, whitelistValue) = ("c:" + clientId, clientId);
        else if (user.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { } sub)
            (identity, whitelistValue) = ("u:" + user.FindFirst("iss")?.Value + "|" + sub, sub);
        else if (model is not null && context.Request.Headers[model.ClientIdHeader] is { Count: > 0 } header && !string.IsNullOrEmpty(header[0]))
            (identity, whitelistValue) = ("h:" + header[0], header[0]!);
        else (identity, whitelistValue) = ("ip:" + context.Connection.RemoteIpAddress, "");
        var whitelisted = model is not null && whitelistValue.Length > 0 && model.Whitelist.Contains(whitelistValue, StringComparer.Ordinal);

        // One hash tag per client: all keys of a decision land in one Redis Cluster slot.
        var tag = "{" + identity.Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal) + "}";
        var checks = new List<LimitCheck>(4);
        if (model is not null && !whitelisted)
            foreach (var rule in model.Rules) checks.Add(new LimitCheck($"{model.KeyPrefix}:{route.KeyPart}:{tag}:{rule.Name}", rule));
        if (plan is not null)
            foreach (var rule in await plans.RulesAsync(plan, context.RequestAborted))
                checks.Add(new LimitCheck($"bffs:plan:{tag}:{rule.Name}", rule)); // per client: key rotation never resets usage
        if (checks.Count == 0)
        {
            await next(context);
            return;
        }

        var results = await store.DecideAsync(checks, context.RequestAborted);
        var rejected = -1;
        for (var i = 0; i < results.Length; i++)
            if (!results[i].Allowed && (rejected < 0 || results[i].RetryAfter > results[rejected].RetryAfter)) rejected = i;
        for (var i = 0; i < results.Length; i++)
            if (rejected < 0 || !results[i].Allowed) metrics.RateLimitDecision(route.Id, checks[i].Rule.Name, rejected < 0);

        if (rejected >= 0)
        {
            var rule = checks[rejected].Rule;
            alerts.Rejected(identity, route.Id, rule.Name);
            var retryAfter = (long)Math.Ceiling(Math.Max(1, results[rejected].RetryAfter.TotalSeconds));
            var isRouteRule = model is not null && model.Rules.Contains(rule);
            var status = isRouteRule ? model!.StatusCode : StatusCodes.Status429TooManyRequests;
            var message = string.Format(CultureInfo.InvariantCulture, model?.QuotaMessage ?? "API calls quota exceeded! Maximum admitted {0} per {1}.", rule.Limit, rule.PeriodText);
            var violated = checks.Where((_, i) => !results[i].Allowed).Select(c => c.Rule.Name).Distinct().ToArray();
            await GatewayProblems.WriteAsync(context, status, "Too Many Requests", message,
                problem =>
                {
                    problem.Type = ProblemType;
                    problem.Extensions["violated-policies"] = violated;
                },
                ("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        if (options.Value.Headers && (model?.EnableHeaders ?? true))
        {
            var headers = Headers(checks, results);
            context.Response.OnStarting(() =>
            {
                foreach (var (name, value) in headers) context.Response.Headers[name] = value;
                return Task.CompletedTask;
            });
        }
        await next(context);
    }

    /// <summary>IETF draft-11 <c>RateLimit-Policy</c>/<c>RateLimit</c> for every policy, and Ocelot 25's
    /// <c>X-RateLimit-*</c> for the tightest one.</summary>
    private (string, string)[] Headers(List<LimitCheck> checks, LimitResult[] results)
    {
        var policy = new StringBuilder();
        var state = new StringBuilder();
        var tightest = 0;
        for (var i = 0; i < checks.Count; i++)
        {
            var rule = checks[i].Rule;
            var separator = i == 0 ? "" : ", ";
            policy.Append(CultureInfo.InvariantCulture, $"{separator}\"{rule.Name}\";q={rule.Limit};w={(long)Math.Ceiling(rule.Period.TotalSeconds)}");
            state.Append(CultureInfo.InvariantCulture, $"{separator}\"{rule.Name}\";r={results[i].Remaining};t={(long)Math.Ceiling(results[i].Reset.TotalSeconds)}");
            if (results[i].Remaining < results[tightest].Remaining) tightest = i;
        }
        var reset = time.GetUtcNow() + results[tightest].Reset;
        return
        [
            ("RateLimit-Policy", policy.ToString()),
            ("RateLimit", state.ToString()),
            ("X-RateLimit-Limit", checks[tightest].Rule.Limit.ToString(CultureInfo.InvariantCulture)),
            ("X-RateLimit-Remaining", results[tightest].Remaining.ToString(CultureInfo.InvariantCulture)),
            ("X-RateLimit-Reset", reset.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        ];
    }
}
