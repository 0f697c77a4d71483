using Bff.Shared.Proxies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class TrustedProxiesApplicationBuilderExtensions
{
    /// <summary>
    /// Behind trusted proxies, the client address and scheme come from their <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c>; everything that keys on the caller (API-key failure blocks, sign-in limits, rate
    /// limits by address, IP allow lists, the forwarded headers the gateway sends) then sees the real client. Without
    /// trusted proxies this is not in the pipeline at all.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value.Enabled) app.UseForwardedHeaders();
        return app;
    }
}
