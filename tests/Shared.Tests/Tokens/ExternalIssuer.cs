using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tests.Tokens;

/// <summary>An external OpenID Connect issuer on real Kestrel: discovery document, JWKS, and the RS256 tokens it signs.</summary>
internal sealed class ExternalIssuer : IAsyncDisposable
{
    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;
    private TestBackend _server = null!;

    private ExternalIssuer(RSA rsa)
    {
        _rsa = rsa;
        _key = new RsaSecurityKey(rsa) { KeyId = "ext-1" };
    }

    /// <summary>The issuer URL (<c>Jwt:Authority</c>).</summary>
    public string Issuer { get; private set; } = "";

    public static async Task<ExternalIssuer> StartAsync()
    {
        var issuer = new ExternalIssuer(RSA.Create(2048));
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(issuer._rsa.ExportParameters(false)) { KeyId = "ext-1" });
        issuer._server = await TestBackend.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path == "/.well-known/openid-configuration")
                await context.Response.WriteAsync($$"""{ "issuer": "{{issuer.Issuer}}", "jwks_uri": "{{issuer.Issuer}}/jwks" }""");
            else
                await context.Response.WriteAsync($$"""{ "keys": [ { "kty": "RSA", "use": "sig", "kid": "ext-1", "alg": "RS256", "n": "{{jwk.N}}", "e": "{{jwk.E}}" } ] }""");
        });
        issuer.Issuer = $"http://127.0.0.1:{issuer._server.Port}";
        return issuer;
    }

    /// <summary>The audience the gateway accepts from this issuer (<c>Jwt:ExternalAudience</c>).</summary>
    public const string Audience = "mobile-app";

    /// <summary>Settings for a gateway with a key store in <paramref name="data"/> that trusts this issuer.</summary>
    public Dictionary<string, string?> GatewaySettings(TempFolder data)
    {
        var settings = GatewayTestHost.KeyStoreSettings(data);
        settings["Jwt:Authority"] = Issuer;
        settings["Jwt:ExternalAudience"] = Audience;
        return settings;
    }

    /// <summary>A token for <paramref name="audience"/> with exactly these claims, valid for five minutes.</summary>
    public string Token(string audience, params Claim[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer, Audience = audience, Subject = new ClaimsIdentity(claims),
        Expires = DateTime.UtcNow.AddMinutes(5), SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _rsa.Dispose();
    }
}
