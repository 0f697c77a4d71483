using Bff.Shared.Frontend;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class FrontendHostApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the host's single-page frontend (static files of <c>wwwroot</c>, <c>/</c> → <c>index.html</c>) with strict
    /// security headers, after every gateway route and host endpoint, so it never shadows one
    /// (<see cref="Microsoft.AspNetCore.Builder.FrontendApplicationBuilderExtensions.UseBffFrontend"/>).
    /// </summary>
    public static IHostApplicationBuilder AddBffFrontend(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FrontendOptions>().BindConfiguration(FrontendOptions.SectionName);
        builder.Services.AddSingleton<FrontendFiles>();
        return builder;
    }
}
