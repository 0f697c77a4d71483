namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalAuthenticationOptions : FileAuthenticationOptions
{
    public List<string>? RouteKeys { get; set; }
}
