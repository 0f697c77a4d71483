using Bff.Shared.Problems;
using Bff.Shared.Routing;
using Bff.Shared.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Oidc;

/// <summary>
/// Route step: for a route with <c>DownstreamToken</c>, the token that goes to the backend as
/// <c>Authorization: Bearer</c> — the user's (refreshed if needed; a refused refresh ended the session: 401), the
/// BFF's client-credentials token (none issued: 503), or the user's when one is signed in at the provider, else the
/// BFF's (on a route without AuthenticationOptions, a valid session cookie + X-CSRF makes it the user's). The client's
/// own Authorization header never goes on.
/// </summary>
internal sealed class DownstreamTokenMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<GatewayFeature>();
        return feature is null || feature.Route.DownstreamToken == DownstreamTokenKind.None ? next(context) : AddTokenAsync(context, feature);
    }

    private async Task AddTokenAsync(HttpContext context, GatewayFeature feature)
    {
        string? token;
        try
        {
            token = await TokenAsync(context, feature);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or InvalidOperationException
                                  && !context.RequestAborted.IsCancellationRequested)
        {
            // The provider is unreachable or answered nonsense: nothing is forwarded without the token.
            await GatewayProblems.WriteAsync(context, 503, "Service Unavailable", "The identity provider cannot be reached; try again shortly.", null, ("Retry-After", "5"));
            return;
        }
        if (token is null) return; // answered (401 or 503)
        (feature.ExtraHeaders ??= []).Add(new("Authorization", "Bearer " + token));
        await next(context);
    }

    /// <summary>The token, or null after answering the request.</summary>
    private static async Task<string?> TokenAsync(HttpContext context, GatewayFeature feature)
    {
        var kind = feature.Route.DownstreamToken;
        // UserOrClient on a route without AuthenticationOptions: a session is used when the request carries one.
        if (kind == DownstreamTokenKind.UserOrClient && context.User.Identity?.IsAuthenticated != true
            && (await context.AuthenticateAsync(SessionDefaults.Scheme)).Principal is { } signedIn)
            context.User = signedIn;
        string? token;
        var session = context.User.Identity?.IsAuthenticated == true ? context.Features.Get<CurrentSessionFeature>()?.Session : null;
        var userSession = session?.Provider == OidcDefaults.Provider ? session : null;
        if (kind == DownstreamTokenKind.User || (kind == DownstreamTokenKind.UserOrClient && userSession is not null))
        {
            token = userSession is null ? null : await context.RequestServices.GetRequiredService<UserAccessTokens>().GetAsync(userSession, context.RequestAborted);
            if (token is null)
            {
                // The ended session's cookie goes too (on starting: writing the problem clears the headers set so far).
                if (userSession is not null)
                    context.Response.OnStarting(static state =>
                    {
                        var http = (HttpContext)state;
                        http.Response.Cookies.Delete(SessionDefaults.CookieName, SessionEndpoints.CookieOptions(http, null));
                        return Task.CompletedTask;
                    }, context);
                await GatewayProblems.WriteAsync(context, 401, "Unauthorized", userSession is null
                    ? "This resource needs a sign-in at the identity provider."
                    : "The session has ended; sign in again.");
                return null;
            }
        }
        else
        {
            token = await context.RequestServices.GetRequiredService<ClientAccessTokens>().GetAsync(context.RequestAborted);
            if (token is null)
            {
                await GatewayProblems.WriteAsync(context, 503, "Service Unavailable", "The identity provider did not issue the gateway's token.", null, ("Retry-After", "5"));
                return null;
            }
        }
        return token;
    }
}
