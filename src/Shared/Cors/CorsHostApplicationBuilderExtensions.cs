using Bff.Shared.Cors;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>CORS for a BFF host: the <c>Cors</c> section becomes ASP.NET Core's default CORS policy.</summary>
public static class CorsHostApplicationBuilderExtensions
{
    public static IHostApplicationBuilder AddGatewayCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayCorsOptions>().BindConfiguration(GatewayCorsOptions.SectionName)
            .Validate(o => !(o.AllowCredentials && o.AllowedOrigins.Contains("*")),
                "Cors:AllowCredentials cannot be true when Cors:AllowedOrigins contains '*' (name the origins)")
            .Validate(o => o.AllowedOrigins.All(origin => origin == "*" || Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/"),
                "Cors:AllowedOrigins entries must be origins such as https://app.example.com (scheme, host, port; no path) or '*'")
            .ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<GatewayCorsOptions>>((cors, gateway) =>
        {
            var o = gateway.Value;
            if (!o.HasPolicy) return;
            cors.AddDefaultPolicy(policy =>
            {
                if (o.AllowedOrigins.Contains("*")) policy.AllowAnyOrigin(); else policy.WithOrigins(o.AllowedOrigins);
                if (o.AllowedMethods.Length == 0) policy.AllowAnyMethod(); else policy.WithMethods(o.AllowedMethods);
                if (o.AllowedHeaders.Length == 0) policy.AllowAnyHeader(); else policy.WithHeaders(o.AllowedHeaders);
                if (o.ExposedHeaders.Length > 0) policy.WithExposedHeaders(o.ExposedHeaders);
                if (o.AllowCredentials) policy.AllowCredentials();
                if (o.MaxAge is { } maxAge) policy.SetPreflightMaxAge(maxAge);
            });
        });
        return builder;
    }
}
