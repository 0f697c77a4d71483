namespace Bff.Shared.Configuration.File;

internal sealed class FileHostAndPort
{
    public string? Host { get; set; }
    public int Port { get; set; }
}
