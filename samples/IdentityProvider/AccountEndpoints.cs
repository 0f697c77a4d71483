using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bffs.IdentityProvider;

/// <summary>The provider's own sign-in page (demo users from configuration) and "sign out of every app".</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapGet("/account/login", (string? returnUrl) => Page(returnUrl ?? "/", null));
        app.MapPost("/account/login", (Delegate)LoginAsync).DisableAntiforgery();
        // Demo: ends the user's sessions in every client that registered a back-channel logout URI.
        app.MapPost("/account/logout-everywhere", async (HttpContext context, BackChannelLogout logout) =>
        {
            var login = await context.AuthenticateAsync(IdentityProviderApp.CookieScheme);
            if (!login.Succeeded) return Results.Unauthorized();
            var sub = login.Principal!.FindFirst("sub")!.Value;
            var delivered = await logout.SendAsync(sub, login.Principal.FindFirst("sid")?.Value, context.RequestAborted);
            await context.SignOutAsync(IdentityProviderApp.CookieScheme);
            return Results.Ok(new { delivered });
        }).DisableAntiforgery();
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IOptions<IdentityProviderOptions> options)
    {
        var form = await context.Request.ReadFormAsync();
        var (username, password, returnUrl) = (form["username"].ToString(), form["password"].ToString(), form["returnUrl"].ToString());
        if (!returnUrl.StartsWith('/') || returnUrl.StartsWith("//", StringComparison.Ordinal)) returnUrl = "/";
        var user = options.Value.Users.FirstOrDefault(u => u.Username == username);
        if (user is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Password), Encoding.UTF8.GetBytes(password)))
            return Page(returnUrl, "Unknown user or wrong password.");
        var claims = new List<Claim> { new("sub", user.Subject), new("name", user.Name ?? user.Username), new("sid", Convert.ToHexString(RandomNumberGenerator.GetBytes(16))) };
        if (user.CustomerId is not null) claims.Add(new("customer_id", user.CustomerId));
        await context.SignInAsync(IdentityProviderApp.CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, IdentityProviderApp.CookieScheme, "name", "role")));
        return Results.Redirect(returnUrl);
    }

    private static IResult Page(string returnUrl, string? error) => Results.Content($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Demo identity provider</title>
        <style>body{font-family:system-ui;max-width:24rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}</style></head>
        <body><h1>Demo identity provider</h1>
        {{(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <form method="post" action="/account/login">
          <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
          <label>Username <input name="username" id="username" autocomplete="username"></label>
          <label>Password <input name="password" id="password" type="password" autocomplete="current-password"></label>
          <button type="submit" id="sign-in">Sign in</button>
        </form></body></html>
        """, "text/html; charset=utf-8", statusCode: error is null ? 200 : 401);
}
