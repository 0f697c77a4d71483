using Bff.Shared.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>TLS termination extras for a BFF host: the <c>Tls</c> section configures ASP.NET Core's HSTS and HTTPS redirection.</summary>
public static class TlsHostApplicationBuilderExtensions
{
    public static IHostApplicationBuilder AddGatewayTls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayTlsOptions>().BindConfiguration(GatewayTlsOptions.SectionName)
            .Validate(o => o.HstsMaxAge > TimeSpan.Zero, "Tls:HstsMaxAge must be positive")
            .Validate(o => o.HttpsPort is null or (> 0 and <= 65535), "Tls:HttpsPort must be a port (1-65535)")
            .Validate(o => !o.HstsPreload || (o.HstsIncludeSubDomains && o.HstsMaxAge >= TimeSpan.FromDays(365)),
                "Tls:HstsPreload needs Tls:HstsIncludeSubDomains and Tls:HstsMaxAge of at least 365 days (hstspreload.org)")
            .ValidateOnStart();
        builder.Services.AddHsts(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<IOptions<GatewayTlsOptions>>((hsts, tls) =>
        {
            hsts.MaxAge = tls.Value.HstsMaxAge;
            hsts.IncludeSubDomains = tls.Value.HstsIncludeSubDomains;
            hsts.Preload = tls.Value.HstsPreload;
        });
        builder.Services.AddHttpsRedirection(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionOptions>().Configure<IOptions<GatewayTlsOptions>>((redirect, tls) =>
        {
            redirect.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            if (tls.Value.HttpsPort is { } port) redirect.HttpsPort = port;
        });
        return builder;
    }
}
