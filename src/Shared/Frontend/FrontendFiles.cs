using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Frontend;

/// <summary>Where the frontend's files are: the configured folder, else the web root, else <c>wwwroot</c> beside the
/// binaries (published output). None found: the host serves no frontend and says so once.</summary>
internal sealed partial class FrontendFiles
{
    public FrontendFiles(IOptions<FrontendOptions> options, IWebHostEnvironment environment, ILogger<FrontendFiles> logger)
    {
        var value = options.Value;
        ContentSecurityPolicy = value.ContentSecurityPolicy;
        if (!value.Enabled) return;
        var candidates = value.RootPath is { Length: > 0 } configured
            ? [Path.GetFullPath(configured, environment.ContentRootPath)]
            : new[] { environment.WebRootPath, Path.Combine(environment.ContentRootPath, "wwwroot"), Path.Combine(AppContext.BaseDirectory, "wwwroot") };
        Root = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "index.html")));
        if (Root is null) LogNoFrontend(logger, string.Join(", ", candidates.Where(c => !string.IsNullOrEmpty(c))));
        else Provider = new PhysicalFileProvider(Root);
    }

    public string? Root { get; }
    public IFileProvider? Provider { get; }
    public string ContentSecurityPolicy { get; }

    [LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.NoFrontend, Level = LogLevel.Warning, Message = "No frontend is served: no index.html in {Folders}")]
    private static partial void LogNoFrontend(ILogger logger, string folders);
}
