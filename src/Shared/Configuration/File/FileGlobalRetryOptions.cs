namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalRetryOptions : FileRetryOptions
{
    public List<string>? RouteKeys { get; set; }
}
