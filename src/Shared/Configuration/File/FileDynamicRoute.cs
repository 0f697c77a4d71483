namespace Bff.Shared.Configuration.File;

/// <summary>A dynamic (service-discovery) route. Bound so that files load, rejected by validation.</summary>
internal sealed class FileDynamicRoute : FileRouteBase
{
    public FileRateLimitByHeaderRule? RateLimitRule { get; set; }
}
