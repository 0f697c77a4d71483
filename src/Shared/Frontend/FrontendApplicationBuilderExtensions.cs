using Bff.Shared.Frontend;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

public static class FrontendApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the frontend's files for requests nothing else answered: <c>/</c> is <c>index.html</c>; there is no
    /// catch-all fallback (the frontend routes with <c>#fragments</c>), so an unknown path stays a 404 problem+json.
    /// Every file carries the security headers (<see cref="FrontendHeaders"/>) and <c>Cache-Control: no-cache</c>.
    /// </summary>
    public static IApplicationBuilder UseBffFrontend(this IApplicationBuilder app)
    {
        var files = app.ApplicationServices.GetRequiredService<FrontendFiles>();
        if (files.Provider is not { } provider) return app;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = provider });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = provider,
            OnPrepareResponse = context => FrontendHeaders.Apply(context.Context.Response, files.ContentSecurityPolicy),
        });
        return app;
    }

    internal static bool IsEnabled(IServiceProvider services) =>
        services.GetService<FrontendFiles>() is { Provider: not null };
}
