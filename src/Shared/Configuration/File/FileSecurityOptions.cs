namespace Bff.Shared.Configuration.File;

internal sealed class FileSecurityOptions
{
    public List<string> IPAllowedList { get; set; } = [];
    public List<string> IPBlockedList { get; set; } = [];
    public bool ExcludeAllowedFromBlocked { get; set; }
}
