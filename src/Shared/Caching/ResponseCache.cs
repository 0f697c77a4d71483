using ZiggyCreatures.Caching.Fusion;

namespace Bff.Shared.Caching;

/// <summary>
/// The response cache: FusionCache with memory (L1) and, with <c>ConnectionStrings:Redis</c>, Redis (L2) plus a
/// backplane, so a purge or a new entry on one replica reaches every replica. Regions and routes are tags.
/// </summary>
internal sealed class ResponseCache(IFusionCacheProvider caches)
{
    public const string CacheName = "bffs-responses";

    public IFusionCache Cache => caches.GetCache(CacheName);

    public static string RegionTag(string region) => "region:" + region;
    public static string RouteTag(string route) => "route:" + route;

    public ValueTask PurgeRegionAsync(string region, CancellationToken cancellationToken) =>
        Cache.RemoveByTagAsync(RegionTag(region), token: cancellationToken);

    public ValueTask PurgeRouteAsync(string route, CancellationToken cancellationToken) =>
        Cache.RemoveByTagAsync(RouteTag(route), token: cancellationToken);
}
