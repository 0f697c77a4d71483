namespace Bff.Shared.Configuration.File;

internal sealed class FileMetadataOptions
{
    public string? CurrentCulture { get; set; }
    public string? NumberStyle { get; set; }
    public List<string>? Separators { get; set; }
    public string? StringSplitOption { get; set; }
    public List<string>? TrimChars { get; set; }
}
