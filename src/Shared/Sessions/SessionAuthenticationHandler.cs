using System.Security.Claims;
using System.Text.Encodings.Web;
using Bff.Shared.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Sessions;

/// <summary>
/// The <c>Session</c> scheme (Bff.Web): the cookie names a server-side session; every request must also carry
/// <c>X-CSRF: 1</c> (a header a cross-site form or image cannot send), or — for WebSocket upgrades, which cannot —
/// come from an allowed <c>Origin</c>. Refusals are 401 problem+json, never a redirect.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionService sessions, IOptions<SessionOptions> sessionOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadSessionCookie(Request) is not { } secret) return AuthenticateResult.NoResult();

        if (IsWebSocketUpgrade(Request))
        {
            if (!OriginAllowed(Request, sessionOptions.Value)) return Refuse(SessionFailure.ForeignOrigin);
        }
        else if (Request.Headers[SessionDefaults.CsrfHeader] != "1")
        {
            return Refuse(SessionFailure.MissingCsrf);
        }

        var slide = !(Request.Path.StartsWithSegments("/bff/user") && Request.Query["slide"] == "false");
        var session = await sessions.ValidateAsync(secret, slide, Context.RequestAborted);
        if (session is null) return Refuse(SessionFailure.Expired);

        Context.Features.Set(new CurrentSessionFeature(session));
        var claims = new List<Claim>
        {
            new("sub", session.UserId),
            new("name", session.Username),
            new(SessionDefaults.SessionIdClaim, session.Handle),
        };
        claims.AddRange(session.Roles.Select(r => new Claim("role", r)));
        if (session.Claims is { } extra) claims.AddRange(extra.Select(c => new Claim(c.Key, c.Value)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "name", "role")), Scheme.Name));
    }

    /// <summary>The session cookie by its exact name (ASP.NET Core's cookie collection ignores case, which would let
    /// a sibling subdomain plant a look-alike of a <c>__Host-</c> cookie).</summary>
    internal static string? ReadSessionCookie(HttpRequest request)
    {
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var pair in (header ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!pair.StartsWith(SessionDefaults.CookieName + "=", StringComparison.Ordinal)) continue;
                var value = pair[(SessionDefaults.CookieName.Length + 1)..];
                return value.Length == 0 ? null : value;
            }
        }
        return null;
    }

    internal static bool IsWebSocketUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Any(v => string.Equals(v, "websocket", StringComparison.OrdinalIgnoreCase));

    private static bool OriginAllowed(HttpRequest request, SessionOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        var own = $"{request.Scheme}://{request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    private AuthenticateResult Refuse(SessionFailure failure)
    {
        Context.Features.Set(new SessionFailureFeature(failure));
        return AuthenticateResult.Fail(failure.ToString());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = (Context.Features.Get<SessionFailureFeature>()?.Failure ?? SessionFailure.None) switch
        {
            SessionFailure.MissingCsrf => $"The {SessionDefaults.CsrfHeader}: 1 header is required.",
            SessionFailure.ForeignOrigin => "WebSocket connections are accepted only from allowed origins.",
            SessionFailure.Expired => "The session has ended; sign in again.",
            _ => "Sign in first.",
        };
        return GatewayProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        GatewayProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "You may not use this resource.");
}
