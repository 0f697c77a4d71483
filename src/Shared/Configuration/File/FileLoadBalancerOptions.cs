namespace Bff.Shared.Configuration.File;

internal class FileLoadBalancerOptions
{
    public string? Type { get; set; }
    public string? Key { get; set; }
    public int? Expiry { get; set; }
}
