using Bff.Shared.Security;
using System.Security.Claims;
using Bff.Shared.Observability;
using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Auth;

/// <summary>
/// The route-level identity steps, in Ocelot's order (schema §6.1/§6.2/§6.3): authentication with the route's
/// schemes (first success wins; none → 401 from the first scheme's challenge) → claims to claims → authorization
/// (AllowedScopes, RouteClaimsRequirement → 403) → claims to headers, query and downstream path (a missing claim →
/// 403). Every method is checked — OPTIONS too (Ocelot skips it; CORS preflights never get here,
/// the CORS step answers them). Works for every scheme.
/// </summary>
internal sealed class RouteAuthorizationMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<GatewayFeature>();
        var auth = feature?.Route.Auth;
        // An anonymous route without claims rules: straight on, without an async step of its own.
        return feature is null || auth is null || !auth.UsesClaims ? next(context) : AuthorizeAsync(context, feature, auth);
    }

    private async Task AuthorizeAsync(HttpContext context, GatewayFeature feature, RouteAuthModel auth)
    {
        string? signedInWith = null; // the scheme that authenticated the caller (a tag of bff.auth.failures on 403)
        if (auth.IsAuthenticated)
        {
            AuthenticateResult? failed = null;
            string? failedScheme = null;
            foreach (var scheme in auth.Schemes)
            {
                var result = await context.AuthenticateAsync(scheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                    signedInWith = scheme;
                    break;
                }
                if (result.Failure is not null && failed is null) (failed, failedScheme) = (result, scheme);
            }
            if (signedInWith is null)
            {
                // bff.auth.failures: "missing" (no credential), the API key failure (Unknown, Revoked, Expired, …) or
                // "invalid" for the other schemes — never their messages, which may quote the credential.
                var scheme = failedScheme ?? auth.Schemes[0];
                var reason = failed?.Failure is null ? "missing" : scheme == ApiKeys.ApiKeyDefaults.Scheme ? failed.Failure.Message : "invalid";
                metrics.AuthFailure(feature.Route.Id, scheme, reason);
                await context.ChallengeAsync(scheme);
                return;
            }
        }

        var user = context.User;
        if (auth.AddClaims.Length > 0)
        {
            var added = new ClaimsIdentity();
            foreach (var (name, expression) in auth.AddClaims)
            {
                if (expression.Evaluate(user) is not { } value) { await Forbid(context, feature, signedInWith, $"claim '{expression.ClaimType}' is missing"); return; }
                added.AddClaim(new Claim(name, value));
            }
            user.AddIdentity(added);
        }

        if (auth.AllowedScopes.Length > 0)
        {
            var scopes = user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!scopes.Any(s => auth.AllowedScopes.Contains(s, StringComparer.Ordinal)))
            { await Forbid(context, feature, signedInWith, "a required scope is missing"); return; }
        }
        foreach (var (type, required) in auth.ClaimsRequirements)
        {
            var values = user.FindAll(type).Select(c => c.Value).ToList();
            var expected = IsPlaceholder(required) ? Placeholder(feature, required[1..^1]) : required;
            if (expected is null || !values.Contains(expected, StringComparer.Ordinal))
            { await Forbid(context, feature, signedInWith, $"claim '{type}' does not allow this"); return; }
        }

        foreach (var (name, expression) in auth.AddHeaders)
        {
            if (expression.Evaluate(user) is not { } value) { await Forbid(context, feature, signedInWith, $"claim '{expression.ClaimType}' is missing"); return; }
            if (RequestHygieneMiddleware.HasControlCharacter(value)) { await Unusable(context, feature, signedInWith, expression); return; }
            (feature.ExtraHeaders ??= []).Add(new(name, value));
        }
        foreach (var (name, expression) in auth.AddQueries)
        {
            if (expression.Evaluate(user) is not { } value) { await Forbid(context, feature, signedInWith, $"claim '{expression.ClaimType}' is missing"); return; }
            if (RequestHygieneMiddleware.HasControlCharacter(value)) { await Unusable(context, feature, signedInWith, expression); return; }
            (feature.ExtraQuery ??= []).Add(new(name, value));
        }
        foreach (var (placeholder, expression) in auth.ChangePath)
        {
            if (expression.Evaluate(user) is not { } value) { await Forbid(context, feature, signedInWith, $"claim '{expression.ClaimType}' is missing"); return; }
            // The same checks as a client's own placeholder value, and one path segment only.
            if (value.Length == 0 || value.Contains('/') || PathSafety.IsUnsafe(value) || RequestHygieneMiddleware.HasControlCharacter(value))
            { await Unusable(context, feature, signedInWith, expression); return; }
            feature.Placeholders.RemoveAll(p => p.Key == placeholder);
            feature.Placeholders.Add(new(placeholder, value));
        }

        await next(context);
    }

    private Task Unusable(HttpContext context, GatewayFeature feature, string? signedInWith, ClaimExpression expression) =>
        Forbid(context, feature, signedInWith, $"claim '{expression.ClaimType}' has a value that cannot be sent downstream");

    private static bool IsPlaceholder(string value) => value.Length > 2 && value[0] == '{' && value[^1] == '}';

    private static string? Placeholder(GatewayFeature feature, string name)
    {
        foreach (var (key, value) in feature.Placeholders)
            if (key == name) return value;
        return null;
    }

    private Task Forbid(HttpContext context, GatewayFeature feature, string? scheme, string detail)
    {
        metrics.AuthFailure(feature.Route.Id, scheme ?? "none", "forbidden");
        return GatewayProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"Access denied: {detail}.");
    }
}
