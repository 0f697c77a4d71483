using System.Net;
using Bff.Shared.Observability;
using Bff.Shared.Problems;
using Bff.Shared.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Oidc;

/// <summary>
/// The OpenID Connect endpoints of the web BFF: <c>GET /bff/login?returnUrl=</c> starts the sign-in at the provider,
/// <c>/bff/signin-complete</c> lands the browser on its return URL, <c>POST /bff/backchannel</c> receives the
/// provider's logout tokens; <see cref="LogoutAsync"/> is <c>POST /bff/logout</c>'s provider part.
/// </summary>
internal static partial class OidcEndpoints
{
    public static bool IsEnabled(IServiceProvider services) => services.GetService<IOptions<OidcOptions>>()?.Value.IsConfigured == true;

    public static void MapOidcEndpoints(this RouteGroupBuilder bff)
    {
        bff.MapGet("/login", async (HttpContext context) =>
        {
            var returnUrl = context.Request.Query["returnUrl"].ToString();
            if (returnUrl.Length == 0) returnUrl = "/";
            if (!SessionEndpoints.IsLocal(returnUrl))
            {
                await GatewayProblems.WriteAsync(context, 400, "Bad request", "returnUrl must be a local path.");
                return;
            }
            var landing = QueryHelpers.AddQueryString("/bff/signin-complete", "returnUrl", returnUrl);
            await context.ChallengeAsync(OidcDefaults.Scheme, new AuthenticationProperties { RedirectUri = landing });
        });

        // The callback's redirect ends a navigation the provider started, so a SameSite=Strict cookie is not sent on
        // it; this page's own navigation to the return URL is same-site, and the session cookie goes with it.
        bff.MapGet("/signin-complete", (string? returnUrl) =>
        {
            var target = returnUrl is { Length: > 0 } && SessionEndpoints.IsLocal(returnUrl) ? returnUrl : "/";
            var encoded = WebUtility.HtmlEncode(target);
            return Results.Content($"""<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={encoded}"><title>Signed in</title></head><body><a href="{encoded}">Continue</a></body></html>""",
                "text/html; charset=utf-8");
        });

        bff.MapPost("/backchannel", BackChannelAsync).DisableAntiforgery();
    }

    private static async Task BackChannelAsync(HttpContext context, LogoutTokenValidator validator, SessionService sessions, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        var logger = loggers.CreateLogger(typeof(OidcEndpoints));
        string? token = null;
        if (context.Request.HasFormContentType && context.Request.ContentLength is null or <= 32_768)
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["logout_token"];
        string? sub, sid, error;
        try
        {
            (sub, sid, error) = await validator.ValidateAsync(token, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            // The provider's keys cannot be read: the provider retries a failed delivery.
            await GatewayProblems.WriteAsync(context, 503, "Service Unavailable", "The identity provider's signing keys cannot be read now.", null, ("Retry-After", "5"));
            return;
        }
        if (error is null && sub is null) error = "this gateway finds sessions by sub: the logout token needs one";
        if (error is not null)
        {
            Log.Refused(logger, error);
            await GatewayProblems.WriteAsync(context, 400, "Bad request", error);
            return;
        }
        var ended = 0;
        foreach (var session in await sessions.ListAsync(sub!, context.RequestAborted))
        {
            if (session.Provider != OidcDefaults.Provider || (sid is not null && session.ProviderSessionId != sid)) continue;
            await sessions.RevokeAsync(session, context.RequestAborted);
            ended++;
        }
        Log.LoggedOut(logger, ended);
        context.Response.StatusCode = 200;
    }

    /// <summary>Ends a provider session on our side: the refresh token revoked at the provider, and the URL of the
    /// provider's end-session endpoint (RP-initiated logout) the browser goes to next; null for a local session.</summary>
    public static async Task<string?> LogoutAsync(HttpContext context, SessionRecord session)
    {
        if (session.Provider != OidcDefaults.Provider) return null;
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<SessionTokenProtector>().Unprotect(session.Tokens);
        var provider = services.GetRequiredService<OidcProviderClient>();
        if (tokens?.RefreshToken is { } refresh)
        {
            try
            {
                await provider.RevokeAsync(refresh, context.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
            {
                // The session ends here anyway; the refresh token expires at the provider.
            }
        }
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await provider.ConfigurationAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            return "/"; // the provider is unreachable: our session ends anyway; the browser goes home
        }
        if (string.IsNullOrEmpty(configuration.EndSessionEndpoint)) return "/";
        var options = services.GetRequiredService<IOptions<OidcOptions>>().Value;
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = options.ClientId,
            ["post_logout_redirect_uri"] = options.PostLogoutRedirectUri ?? $"{context.Request.Scheme}://{context.Request.Host}/",
        };
        if (tokens?.IdToken is { } idToken) query["id_token_hint"] = idToken;
        return QueryHelpers.AddQueryString(configuration.EndSessionEndpoint, query);
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.OidcBackChannelLogout, LogLevel.Information, "Back-channel logout: {Count} session(s) ended")]
        public static partial void LoggedOut(ILogger logger, int count);

        [LoggerMessage(GatewayEventIds.OidcLogoutTokenRefused, LogLevel.Warning, "Back-channel logout refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
