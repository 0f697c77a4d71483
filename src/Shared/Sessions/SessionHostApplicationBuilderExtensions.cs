using Bff.Shared.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class SessionHostApplicationBuilderExtensions
{
    /// <summary>
    /// The web BFF's sign-in: users from the key store (<see cref="ApiKeyHostApplicationBuilderExtensions.AddKeyStore"/>),
    /// server-side sessions in Redis (<c>ConnectionStrings:Redis</c>) or memory, the <c>Session</c> scheme for routes
    /// and the <c>/bff/*</c> endpoints.
    /// </summary>
    public static IHostApplicationBuilder AddSessionAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.SectionName)
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.AbsoluteLifetime >= o.IdleTimeout, "Sessions: IdleTimeout must be positive and at most AbsoluteLifetime")
            .Validate(o => o.MaxPerUser > 0, "Sessions:MaxPerUser must be at least 1")
            .ValidateOnStart();
        services.AddSingleton<SessionService>();
        // Routes may hand backends a short-lived JWT of the signed-in user (extension property DownstreamJwtAudience).
        TokenHostApplicationBuilderExtensions.AddSigning(builder);
        var redis = builder.Configuration.GetConnectionString("Redis");
        // Data Protection (the session's provider tokens, the OIDC handler's state) is AddBffGateway's: one key ring
        // for every replica (AddGatewayDataProtection).
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<ISessionStore, MemorySessionStore>();
        }
        else
        {
            Bff.Shared.Hosting.RedisConnection.Add(services, redis);
            services.AddSingleton<ISessionStore, RedisSessionStore>();
        }
        // OpenID Connect sign-in when the Oidc section names a provider (GET /bff/login goes there).
        Bff.Shared.Oidc.OidcServiceCollectionExtensions.AddOidcSignIn(services, builder.Configuration);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionDefaults.Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(SessionEndpoints.Policy, policy => policy
            .AddAuthenticationSchemes(SessionDefaults.Scheme)
            .RequireAuthenticatedUser());
        return builder;
    }
}
