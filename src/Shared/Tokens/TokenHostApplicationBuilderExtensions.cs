using Bff.Shared.Problems;
using Bff.Shared.Tokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

public static class TokenHostApplicationBuilderExtensions
{
    /// <summary>
    /// The mobile BFF's sign-in: <c>/auth/token</c>, <c>/auth/refresh</c>, <c>/auth/revoke</c>, the JWKS, and the
    /// <c>Bearer</c> scheme for routes — the gateway's own ES256 tokens and, when <c>Jwt:Authority</c> is set, an
    /// external OpenID Connect issuer's. Needs <see cref="ApiKeyHostApplicationBuilderExtensions.AddKeyStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddTokenAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(TokenOptions.SectionName).Get<TokenOptions>() ?? new TokenOptions();
        AddSigning(builder);
        services.AddSingleton<TokenService>();

        var authentication = services.AddAuthentication();
        authentication.AddPolicyScheme(TokenDefaults.Scheme, "Bearer tokens", policy =>
        {
            // The gateway's tokens and an external issuer's are told apart by their issuer.
            policy.ForwardDefaultSelector = context =>
                options.Authority is { Length: > 0 } authority && IssuerOf(context.Request) is { } issuer
                    && issuer.TrimEnd('/') == authority.TrimEnd('/') ? TokenDefaults.ExternalScheme : TokenDefaults.LocalScheme;
        });
        AddGatewayTokenScheme(authentication, services, TokenDefaults.LocalScheme, options.Issuer, options.Audience);
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            authentication.AddJwtBearer(TokenDefaults.ExternalScheme, jwt =>
            {
                jwt.Authority = options.Authority;
                // Metadata over plain HTTP only from this machine (development and tests); anywhere else HTTPS.
                jwt.RequireHttpsMetadata = !(Uri.TryCreate(options.Authority, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.IsLoopback);
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = Parameters(options.Authority, options.ExternalAudience ?? options.Audience);
                jwt.Events = ProblemEvents();
            });
        }
        return builder;
    }

    /// <summary>A JwtBearer scheme for the gateway's own ES256 tokens of one audience: its signing keys, the host's
    /// clock, verified signatures cached. The identity's authentication type is the scheme's name.</summary>
    internal static void AddGatewayTokenScheme(Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication, IServiceCollection services,
        string scheme, string issuer, string audience)
    {
        authentication.AddJwtBearer(scheme, jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = Parameters(issuer, audience);
            if (scheme != TokenDefaults.LocalScheme) jwt.TokenValidationParameters.AuthenticationType = scheme;
            jwt.Events = ProblemEvents();
        });
        services.AddOptions<JwtBearerOptions>(scheme).Configure<SigningKeys, TimeProvider>((jwt, keys, time) =>
        {
            jwt.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.ValidationKeys();
            UseCachingTokenHandler(jwt, time);
            // Lifetime on the host's clock (TimeProvider), with the 30 s skew.
            jwt.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + parameters.ClockSkew && (notBefore is not { } nbf || nbf <= now + parameters.ClockSkew);
            };
        });
    }

    /// <summary>The gateway's own tokens are remembered for a while once validated (<see cref="CachingTokenHandler"/>):
    /// a token's signature is verified once, not on every request it comes with.</summary>
    private static void UseCachingTokenHandler(JwtBearerOptions jwt, TimeProvider time)
    {
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new CachingTokenHandler(time) { MapInboundClaims = false });
    }

    /// <summary>The gateway's signing keys (key store or <c>Jwt:SigningKey</c>) and the JWKS that publishes them.</summary>
    internal static void AddSigning(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SigningKeys))) return;
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.SectionName)
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.AccessTokenLifetime <= TimeSpan.FromHours(1), "Jwt:AccessTokenLifetime must be positive and at most an hour")
            .ValidateOnStart();
        services.AddSingleton<KeyProtector>();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<DownstreamTokens>();
        services.AddHostedService<TokenStartup>();
    }

    /// <summary>Issuer, audience, lifetime (30 s skew), signature; only ES256/RS256 (no "none", no HS/RS confusion).</summary>
    private static TokenValidationParameters Parameters(string issuer, string audience) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
        NameClaimType = "name",
        RoleClaimType = "role",
    };

    private static JwtBearerEvents ProblemEvents() => new()
    {
        OnChallenge = async context =>
        {
            context.HandleResponse();
            var error = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            await GatewayProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
                context.AuthenticateFailure is null ? "A bearer token is required." : "The bearer token is not valid.", null, ("WWW-Authenticate", error));
        },
        OnForbidden = context => GatewayProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "The token does not grant access to this resource."),
    };

    private static string? IssuerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        try { return new JsonWebToken(header[7..].Trim()).Issuer; }
        catch (ArgumentException) { return null; }
    }
}
