using Bff.Shared.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The TLS step of the pipeline: HSTS and the HTTP→HTTPS redirect, when switched on.</summary>
public static class TlsApplicationBuilderExtensions
{
    public static IApplicationBuilder UseGatewayTls(this IApplicationBuilder app)
    {
        var tls = app.ApplicationServices.GetRequiredService<IOptions<GatewayTlsOptions>>().Value;
        if (tls.HttpsRedirect)
            app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase), branch => branch.UseHttpsRedirection());
        if (tls.Hsts) app.UseHsts();
        return app;
    }
}
