using Bff.Shared.ClientCredentials;
using Bff.Shared.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class ClientCredentialsHostApplicationBuilderExtensions
{
    /// <summary>
    /// OAuth 2.0 client credentials for partners beside API keys: <c>POST /oauth/token</c> issues short ES256 JWTs
    /// for a client's secret (<c>clients secrets create</c>), and routes accept them with the <c>ClientCredentials</c>
    /// scheme (<c>AuthenticationProviderKeys: ["ApiKey", "ClientCredentials"]</c>) — the same client, plan, quotas,
    /// rate limits and audit as its API keys. Needs <see cref="ApiKeyHostApplicationBuilderExtensions.AddKeyStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddClientCredentials(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClientCredentialsOptions>().BindConfiguration(ClientCredentialsOptions.SectionName)
            .Validate(o => o.TokenLifetime > TimeSpan.Zero && o.TokenLifetime <= TimeSpan.FromHours(1), "ClientCredentials:TokenLifetime must be positive and at most an hour")
            .ValidateOnStart();
        TokenHostApplicationBuilderExtensions.AddSigning(builder);
        var issuer = builder.Configuration.GetSection(TokenOptions.SectionName).Get<TokenOptions>()?.Issuer ?? new TokenOptions().Issuer;
        TokenHostApplicationBuilderExtensions.AddGatewayTokenScheme(services.AddAuthentication(), services,
            ClientCredentialsDefaults.Scheme, issuer, ClientCredentialsDefaults.Audience);
        services.AddSingleton<ClientCredentialsMarker>();
        return builder;
    }

    /// <summary>Maps <c>POST /oauth/token</c> when client credentials are on; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapClientCredentialsEndpoints(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<ClientCredentialsMarker>() is null) return app;
        app.MapPost(ClientCredentialsDefaults.TokenPath, ClientTokenEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Registered by <see cref="AddClientCredentials"/>: the token endpoint is mapped.</summary>
    internal sealed class ClientCredentialsMarker;
}
