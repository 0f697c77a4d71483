using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tokens;

/// <summary>
/// <c>POST /auth/token</c> (username and password), <c>POST /auth/refresh</c>, <c>POST /auth/revoke</c>,
/// <c>GET /.well-known/jwks.json</c>. Requests are JSON or a form; refusals are 401 problem+json without a hint
/// which part was wrong. Sign-ins and refreshes are throttled per address (and per username) by <see cref="SignInThrottle"/>.
/// </summary>
internal static class TokenEndpoints
{
    /// <summary>Maps the mobile sign-in endpoints (<c>/auth/*</c>) when tokens are on, and the JWKS document when the
    /// gateway signs tokens; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        if (HasSigning(app.ServiceProvider))
            app.MapGet("/.well-known/jwks.json", async (SigningKeys keys, CancellationToken ct) => Results.Json(await keys.JwksAsync(ct)));
        if (!IsEnabled(app.ServiceProvider)) return app;
        app.MapPost("/auth/token", async (HttpContext context, UserService users, SignInThrottle throttle, TokenService tokens, AuditLog audit) =>
        {
            var form = await ReadAsync(context);
            if (form is null || !form.TryGetValue("username", out var username) || !form.TryGetValue("password", out var password))
                return Problem(400, "Send username and password as JSON or as a form.");
            if (await throttle.RefuseAsync(context, username)) return Results.Empty; // 429: per address, per username
            var (result, user) = await users.VerifyAsync(username, password, context.RequestAborted);
            if (result != LoginResult.Success)
            {
                var name = username.Length > 100 ? username[..100] : username;
                await audit.WriteAsync(new AuditActor($"user:{name}", context.Connection.RemoteIpAddress?.ToString()), "token", $"user:{name}", "refused", result.ToString(), CancellationToken.None);
                return Problem(401, "The username or password is incorrect, or the account cannot sign in now.");
            }
            return Results.Ok(await tokens.IssueAsync(user!, context.RequestAborted));
        }).DisableAntiforgery();

        app.MapPost("/auth/refresh", async (HttpContext context, SignInThrottle throttle, TokenService tokens) =>
        {
            var form = await ReadAsync(context);
            if (form is null || !form.TryGetValue("refresh_token", out var refresh)) return Problem(400, "Send refresh_token as JSON or as a form.");
            if (await throttle.RefuseAsync(context, null)) return Results.Empty; // 429: per address
            var response = await tokens.RefreshAsync(refresh, context.RequestAborted);
            return response is null ? Problem(401, "The refresh token is not valid; sign in again.") : Results.Ok(response);
        }).DisableAntiforgery();

        app.MapPost("/auth/revoke", async (HttpContext context, TokenService tokens) =>
        {
            var form = await ReadAsync(context);
            if (form is null || !form.TryGetValue("refresh_token", out var refresh)) return Problem(400, "Send refresh_token as JSON or as a form.");
            await tokens.RevokeAsync(refresh, context.RequestAborted);
            return Results.NoContent();
        }).DisableAntiforgery();

        return app;
    }

    /// <summary>The public signing keys, for clients and for backends verifying downstream tokens.</summary>
    public static bool HasSigning(IServiceProvider services) =>
        services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(SigningKeys));

    private static IResult Problem(int status, string detail) =>
        Results.Problem(statusCode: status, title: status == 401 ? "Unauthorized" : "Bad request", detail: detail);

    private static async Task<Dictionary<string, string>?> ReadAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return form.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value.ToString());
        }
        if (!context.Request.HasJsonContentType()) return null;
        try
        {
            var json = await context.Request.ReadFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>(context.RequestAborted);
            return json?.Where(j => j.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                .ToDictionary(j => j.Key, j => j.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static bool IsEnabled(IServiceProvider services) =>
        services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(TokenService));
}
