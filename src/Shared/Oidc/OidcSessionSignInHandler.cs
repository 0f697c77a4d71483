using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Bff.Shared.Observability;
using Bff.Shared.Sessions;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Oidc;

/// <summary>
/// Where the OpenIdConnect handler signs the user in after the callback: a server-side session (the same as a local
/// sign-in's: Redis, idle and absolute lifetime, <c>__Host-</c> cookie) holding the provider's claims we keep, its
/// session id (<c>sid</c>, for back-channel logout) and the tokens, encrypted. The browser gets only the cookie.
/// </summary>
internal sealed partial class OidcSessionSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggerFactory, UrlEncoder encoder,
    SessionService sessions, SessionTokenProtector protector, IOptions<OidcOptions> oidc, TimeProvider time)
    : SignInAuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        var sub = user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("the ID token has no sub");
        var name = user.FindFirst("name")?.Value ?? user.FindFirst("preferred_username")?.Value ?? sub;
        var keep = oidc.Value.SessionClaims.Where(t => t is not ("role" or "sub" or "name")).ToHashSet(StringComparer.Ordinal);
        var claims = user.Claims.Where(c => keep.Contains(c.Type)).GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var roles = oidc.Value.SessionClaims.Contains("role") ? user.FindAll("role").Select(c => c.Value).ToList() : [];

        var access = properties?.GetTokenValue("access_token") ?? throw new InvalidOperationException("the provider returned no access token");
        var expiresAt = DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at : time.GetUtcNow().AddMinutes(5);
        var tokens = new UserTokens(access, properties.GetTokenValue("refresh_token"), properties.GetTokenValue("id_token"), expiresAt);

        var identity = new UserIdentity(sub, name, roles, claims);
        var (secret, session) = await sessions.CreateAsync(identity, Context, Context.RequestAborted, OidcDefaults.Provider,
            user.FindFirst("sid")?.Value, protector.Protect(tokens));
        Context.Response.Cookies.Append(SessionDefaults.CookieName, secret, SessionEndpoints.CookieOptions(Context, session.ExpiresAt));
        Log.SignedIn(Logger, session.Handle);
    }

    protected override Task HandleSignOutAsync(AuthenticationProperties? properties) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.OidcSignedIn, LogLevel.Information, "Signed in at the identity provider: session {Session}")]
        public static partial void SignedIn(ILogger logger, string session);
    }
}
