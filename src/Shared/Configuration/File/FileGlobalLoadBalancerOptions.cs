namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalLoadBalancerOptions : FileLoadBalancerOptions
{
    public List<string>? RouteKeys { get; set; }
}
