using System.Net;
using Bff.Shared.Hosting;
using Bff.Shared.Proxies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Trusted proxies for a BFF host: ASP.NET Core's forwarded-headers middleware, configured from
/// <c>Gateway:KnownProxies</c> and <c>Gateway:KnownNetworks</c> only.</summary>
public static class TrustedProxiesHostApplicationBuilderExtensions
{
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxiesOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesValidation>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxiesOptions>>((forwarded, trusted) =>
        {
            // Only X-Forwarded-For and -Proto: the public host comes from configuration (BaseUrl, AllowedHosts).
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk the chain back through every trusted hop to the first address that is not one of them.
            forwarded.ForwardLimit = null;
            // Exactly the configured ones: ASP.NET Core trusts loopback by default, which a sidecar could abuse.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies)
                if (IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
            foreach (var network in trusted.Value.KnownNetworks)
                if (System.Net.IPNetwork.TryParse(network, out var parsed)) forwarded.KnownIPNetworks.Add(parsed);
        });
        return builder;
    }
}
