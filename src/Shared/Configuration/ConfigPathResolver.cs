using Bff.Shared.Hosting;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Configuration;

/// <summary>
/// Finds the route files. <c>Gateway:ConfigPath</c> wins (relative to the working directory, else to the content
/// root). Without it, <c>ocelot/&lt;name&gt;</c> is searched in the content root and its parents, the working
/// directory and its parents (so the repo's own files are used, and edited live, whether the host is started from
/// the repo root or its project folder), and finally beside the binaries (published output).
/// </summary>
internal static class ConfigPathResolver
{
    public static string Resolve(GatewayOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.ConfigPath))
        {
            if (Path.IsPathRooted(options.ConfigPath)) return options.ConfigPath;
            var fromCwd = Path.GetFullPath(options.ConfigPath);
            if (Path.Exists(fromCwd)) return fromCwd;
            var fromRoot = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.ConfigPath));
            return Path.Exists(fromRoot) ? fromRoot : fromCwd;
        }

        var relative = Path.Combine("ocelot", options.Name);
        foreach (var start in new[] { environment.ContentRootPath, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return Path.Combine(AppContext.BaseDirectory, relative);
    }
}
