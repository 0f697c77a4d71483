namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalCacheOptions : FileCacheOptions
{
    public List<string>? RouteKeys { get; set; }
}
