using Bff.Shared.Observability;
using Bff.Shared.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Shared.Oidc;

/// <summary>OpenID Connect sign-in (<c>Oidc</c> section) for the web BFF, registered by AddSessionAuthentication.</summary>
internal static partial class OidcServiceCollectionExtensions
{
    public static void AddOidcSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.SectionName)
            .Validate(o => !o.IsConfigured || (!string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret)),
                "Oidc: Authority needs ClientId and ClientSecret (the BFF is a confidential client)")
            .Validate(o => o.ResponseMode is "form_post" or "query", "Oidc:ResponseMode must be form_post or query")
            .ValidateOnStart();
        services.AddSingleton<SessionTokenProtector>();
        var oidc = configuration.GetSection(OidcOptions.SectionName).Get<OidcOptions>() ?? new();
        if (!oidc.IsConfigured) return;

        services.AddSingleton<OidcProviderClient>();
        services.AddSingleton<UserAccessTokens>(); // the Redis lock when ConnectionStrings:Redis is set
        services.AddSingleton<ClientAccessTokens>();
        services.AddSingleton<LogoutTokenValidator>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OidcSessionSignInHandler>(OidcDefaults.SessionSignInScheme, null)
            .AddOpenIdConnect(OidcDefaults.Scheme, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = oidc.ResponseMode;
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in oidc.Scopes.Count > 0 ? oidc.Scopes : ["openid", "profile", "offline_access"]) o.Scope.Add(scope);
                if (!string.IsNullOrWhiteSpace(oidc.Prompt)) o.Prompt = oidc.Prompt;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.SaveTokens = true; // handed to our sign-in handler, which keeps them in the session, encrypted
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                o.CallbackPath = OidcDefaults.CallbackPath;
                o.SignedOutCallbackPath = OidcDefaults.SignedOutCallbackPath;
                o.SignInScheme = OidcDefaults.SessionSignInScheme;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Events.OnRemoteFailure = async context =>
                {
                    // A failed or forged callback: a problem, never a stack trace or the provider's message verbatim.
                    var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcServiceCollectionExtensions));
                    Log.SignInFailed(logger, context.Failure?.GetType().Name ?? "unknown");
                    context.HandleResponse();
                    await GatewayProblems.WriteAsync(context.HttpContext, 401, "Unauthorized", "The sign-in at the identity provider did not complete; start again from /bff/login.");
                };
            });
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.OidcSignInFailed, LogLevel.Warning, "Sign-in at the identity provider failed ({Error})")]
        public static partial void SignInFailed(ILogger logger, string error);
    }
}
