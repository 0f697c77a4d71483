using Bff.Shared.Cors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The CORS steps of the pipeline.</summary>
public static class CorsApplicationBuilderExtensions
{
    /// <summary>The policy (when configured) answers preflights and adds CORS headers to answers; any preflight left
    /// is answered 204 without CORS headers. No preflight reaches a route.</summary>
    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<GatewayCorsOptions>>().Value.HasPolicy) app.UseCors();
        return app.UseMiddleware<CorsPreflightMiddleware>();
    }
}
