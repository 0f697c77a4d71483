namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalQoSOptions : FileQoSOptions
{
    public List<string>? RouteKeys { get; set; }
}
