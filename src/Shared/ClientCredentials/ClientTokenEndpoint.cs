using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Bff.Shared.ApiKeys;
using Bff.Shared.KeyStore;
using Bff.Shared.Problems;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.ClientCredentials;

/// <summary>
/// <c>POST /oauth/token</c> (RFC 6749 §4.4): <c>grant_type=client_credentials</c>, the client authenticated with HTTP
/// Basic or <c>client_id</c>/<c>client_secret</c> in the form (one of them). A requested <c>scope</c> may narrow the
/// secret's scopes, never widen them. The answer is a short ES256 JWT of the client (<c>client_id</c>, <c>scope</c>,
/// <c>plan</c>) with <c>Cache-Control: no-store</c>. Errors are problem+json carrying OAuth's <c>error</c> code;
/// failures are throttled per address and per client like sign-ins, and audited.
/// </summary>
internal static class ClientTokenEndpoint
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static async Task HandleAsync(HttpContext context, ClientSecretService secrets, SigningKeys keys, SignInThrottle throttle, AuditLog audit,
        IOptions<TokenOptions> tokens, IOptions<ClientCredentialsOptions> options, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > 16_384)
        {
            await ErrorAsync(context, 400, "invalid_request", "Send an application/x-www-form-urlencoded body (at most 16 KB).");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
            return;
        }
        var (clientId, secret, problem) = Credentials(context.Request, form);
        if (problem is not null)
        {
            await ErrorAsync(context, problem == "invalid_client" ? 401 : 400, problem, "Authenticate the client with HTTP Basic or with client_id and client_secret in the form (not both).");
            return;
        }
        if (await throttle.RefuseAsync(context, "oauth-client:" + clientId)) return; // 429
        var actor = new AuditActor($"client:{Truncate(clientId!)}", context.Connection.RemoteIpAddress?.ToString());
        var verified = await secrets.VerifyAsync(clientId!, secret!, context.RequestAborted);
        if (verified is null)
        {
            await audit.WriteAsync(actor, "client.token", $"client:{Truncate(clientId!)}", "refused", "invalid_client", CancellationToken.None);
            await ErrorAsync(context, 401, "invalid_client", "The client is unknown, the secret is wrong, revoked or expired, or the client is disabled.");
            return;
        }
        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.FirstOrDefault(s => !verified.Scopes.Contains(s, StringComparer.Ordinal)) is { } extra)
        {
            await ErrorAsync(context, 400, "invalid_scope", $"The client is not granted scope '{Truncate(extra)}'.");
            return;
        }
        var granted = requested.Length > 0 ? [.. requested.Distinct(StringComparer.Ordinal)] : verified.Scopes;
        var lifetime = options.Value.TokenLifetime;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = verified.ClientId,
            [ApiKeyDefaults.ClientIdClaim] = verified.ClientId,
            ["name"] = verified.ClientName,
            ["secret_id"] = verified.SecretId,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        };
        if (granted.Count > 0) claims[ApiKeyDefaults.ScopeClaim] = string.Join(' ', granted);
        if (verified.Plan is not null) claims[ApiKeyDefaults.PlanClaim] = verified.Plan;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = tokens.Value.Issuer,
            Audience = ClientCredentialsDefaults.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = await keys.SigningCredentialsAsync(context.RequestAborted),
        });
        await audit.WriteAsync(actor, "client.token", $"client:{verified.ClientName}", "success", $"secret={verified.SecretId} scopes={string.Join(' ', granted)}", CancellationToken.None);
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["scope"] = string.Join(' ', granted),
        }, context.RequestAborted);
    }

    /// <summary>client_id and secret from Basic (RFC 6749 §2.3.1: form-encoded, then Base64) or the form.</summary>
    private static (string? Id, string? Secret, string? Problem) Credentials(HttpRequest request, IFormCollection form)
    {
        var inForm = form.ContainsKey("client_secret");
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (inForm) return (null, null, "invalid_request");
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) return (null, null, "invalid_client");
                return (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')), null);
            }
            catch (FormatException)
            {
                return (null, null, "invalid_client");
            }
        }
        if (!inForm || string.IsNullOrEmpty(form["client_id"])) return (null, null, "invalid_client");
        return (form["client_id"], form["client_secret"], null);
    }

    private static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        GatewayProblems.WriteAsync(context, status, status == 401 ? "Unauthorized" : "Bad request", description,
            p => p.Extensions["error"] = error, status == 401 ? [("WWW-Authenticate", "Basic realm=\"bffs\"")] : []);

    private static string Truncate(string value) => value.Length > 100 ? value[..100] : value;
}
