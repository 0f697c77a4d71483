namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalHttpHandlerOptions : FileHttpHandlerOptions
{
    public List<string>? RouteKeys { get; set; }
}
