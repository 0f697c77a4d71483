using Bff.Shared.KeyStore;
using Bff.Shared.Problems;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Sessions;

/// <summary>
/// <c>/bff/login</c>, <c>/bff/logout</c>, <c>/bff/user</c>, <c>/bff/sessions</c> (Duende BFF's paths and semantics):
/// the browser never sees a token, only the session cookie. Every one of them requires <c>X-CSRF: 1</c> except the
/// navigations of the OpenID Connect sign-in (<c>GET /bff/login</c>, the callback, <c>/bff/signin-complete</c>), the
/// provider's <c>POST /bff/backchannel</c> and <c>GET /bff/config</c>.
/// </summary>
internal static class SessionEndpoints
{
    public const string Policy = "bffs-session";

    public sealed record LoginRequest(string? Username, string? Password, string? ReturnUrl);

    /// <summary>Maps the web sign-in endpoints (<c>/bff/*</c>) when sessions are on; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        if (!IsEnabled(app.ServiceProvider)) return app;
        var bff = app.MapGroup("/bff").WithTags("bff");

        // With an OpenID Connect provider, GET /bff/login signs in there; otherwise POST /bff/login checks a
        // username and password of the key store.
        var oidc = Oidc.OidcEndpoints.IsEnabled(app.ServiceProvider);
        if (oidc) Oidc.OidcEndpoints.MapOidcEndpoints(bff);
        else bff.MapPost("/login", LoginAsync).DisableAntiforgery();
        // How this BFF signs users in, for the frontend: "oidc" (GET /bff/login) or "password" (POST /bff/login).
        bff.MapGet("/config", () => Results.Ok(new { signIn = oidc ? "oidc" : "password" }));

        bff.MapGet("/user", (HttpContext context, SessionService sessions) =>
        {
            var session = context.Features.Get<CurrentSessionFeature>()!.Session;
            var expiresIn = (long)Math.Max(0, (sessions.IdleExpiry(session) - context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds);
            return Results.Ok(new
            {
                // Duende BFF's management claims beside the user's.
                claims = context.User.Claims.Select(c => new { type = c.Type, value = c.Value })
                    .Append(new { type = "bff:logout_url", value = "/bff/logout" })
                    .Append(new { type = "bff:session_expires_in", value = expiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                sessionExpiresAt = session.ExpiresAt,
                idleExpiresAt = sessions.IdleExpiry(session),
            });
        }).RequireAuthorization(Policy);

        bff.MapPost("/logout", async (HttpContext context, SessionService sessions) =>
        {
            var session = context.Features.Get<CurrentSessionFeature>()!.Session;
            // A provider session: its refresh token revoked, and the provider's end-session URL for the browser.
            var providerLogout = await Oidc.OidcEndpoints.LogoutAsync(context, session);
            await sessions.RevokeAsync(session, context.RequestAborted);
            context.Response.Cookies.Delete(SessionDefaults.CookieName, CookieOptions(context, null));
            return providerLogout is null ? Results.NoContent() : Results.Ok(new { logoutUrl = providerLogout });
        }).RequireAuthorization(Policy);

        bff.MapGet("/sessions", async (HttpContext context, SessionService sessions) =>
        {
            var current = context.Features.Get<CurrentSessionFeature>()!.Session;
            var all = await sessions.ListAsync(current.UserId, context.RequestAborted);
            return Results.Ok(all.OrderBy(s => s.CreatedAt).Select(s => new
            {
                id = s.Handle, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, remoteAddress = s.RemoteAddress, current = s.Key == current.Key,
            }));
        }).RequireAuthorization(Policy);

        bff.MapDelete("/sessions/{id}", async (string id, HttpContext context, SessionService sessions) =>
        {
            var current = context.Features.Get<CurrentSessionFeature>()!.Session;
            var target = (await sessions.ListAsync(current.UserId, context.RequestAborted)).FirstOrDefault(s => s.Handle == id);
            if (target is null) return Results.Problem(statusCode: 404, title: "Not Found", detail: "No such session of yours.");
            await sessions.RevokeAsync(target, context.RequestAborted);
            return Results.NoContent();
        }).RequireAuthorization(Policy);
        return app;
    }

    private static async Task LoginAsync(HttpContext context, UserService users, SignInThrottle throttle, SessionService sessions, AuditLog audit)
    {
        if (context.Request.Headers[SessionDefaults.CsrfHeader] != "1")
        {
            await GatewayProblems.WriteAsync(context, 401, "Unauthorized", $"The {SessionDefaults.CsrfHeader}: 1 header is required.");
            return;
        }

        LoginRequest? request;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            request = new LoginRequest(form["username"], form["password"], form["returnUrl"]);
        }
        else if (context.Request.HasJsonContentType())
        {
            try { request = await context.Request.ReadFromJsonAsync<LoginRequest>(context.RequestAborted); }
            catch (System.Text.Json.JsonException) { request = null; }
        }
        else request = null;

        if (request is null || string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            await GatewayProblems.WriteAsync(context, 400, "Bad request", "Send username and password as JSON or as a form.");
            return;
        }
        var returnUrl = request.ReturnUrl ?? context.Request.Query["returnUrl"].ToString();
        if (returnUrl.Length > 0 && !IsLocal(returnUrl))
        {
            await GatewayProblems.WriteAsync(context, 400, "Bad request", "returnUrl must be a local path.");
            return;
        }
        if (await throttle.RefuseAsync(context, request.Username)) return; // 429: per address, per username

        var (result, user) = await users.VerifyAsync(request.Username, request.Password, context.RequestAborted);
        if (result != LoginResult.Success)
        {
            // Same answer for an unknown user, a wrong password, a locked or a disabled account.
            var name = request.Username.Length > 100 ? request.Username[..100] : request.Username;
            await audit.WriteAsync(new AuditActor($"user:{name}", context.Connection.RemoteIpAddress?.ToString()), "login", $"user:{name}", "refused", result.ToString(), CancellationToken.None);
            await GatewayProblems.WriteAsync(context, 401, "Unauthorized", "The username or password is incorrect, or the account cannot sign in now.");
            return;
        }

        var (secret, session) = await sessions.CreateAsync(user!, context, context.RequestAborted);
        context.Response.Cookies.Append(SessionDefaults.CookieName, secret, CookieOptions(context, session.ExpiresAt));
        await context.Response.WriteAsJsonAsync(new
        {
            user = new { id = user!.Id, name = user.Username, roles = user.Roles },
            sessionExpiresAt = session.ExpiresAt,
            returnUrl = returnUrl.Length > 0 ? returnUrl : null,
        }, context.RequestAborted);
    }

    /// <summary>HttpOnly, Secure (always), SameSite=Strict, Path=/, no Domain: what the <c>__Host-</c> prefix demands.</summary>
    internal static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    internal static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\') && !url.Contains("://", StringComparison.Ordinal)
        && !url.Any(c => c < 0x20 || c == 0x7F);

    public static bool IsEnabled(IServiceProvider services) =>
        services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(SessionService));
}
