using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.Caching;

/// <summary>Builds a route's response cache: CacheOptions (legacy FileCacheOptions wins) merged with the global
/// section by Ocelot's rule (§3.1); TtlSeconds 0 is off.</summary>
internal static class CacheModelBuilder
{
    public static RouteCacheModel? Build(RouteBuildContext c)
    {
        var (r, global, errors) = (c.Route, c.Global, c.Errors);
        var route = r.FileCacheOptions ?? r.CacheOptions;
        var property = r.FileCacheOptions is not null ? "FileCacheOptions" : "CacheOptions";
        var merged = OcelotMerge.Merge<FileCacheOptions, FileGlobalCacheOptions>(route, global.CacheOptions, global.CacheOptions?.RouteKeys, r.Key);
        if (merged is null) return null;
        if (merged.TtlSeconds < 0) errors.Add($"{property}.TtlSeconds", "must be zero (off) or positive");
        if (merged.StaleIfErrorSeconds < 0) errors.Add($"{property}.StaleIfErrorSeconds", "must be zero or positive");
        if (merged.TtlSeconds is not > 0) return null; // Ocelot: 0 = off
        var region = string.IsNullOrWhiteSpace(merged.Region) ? c.Id : merged.Region;
        return new RouteCacheModel(TimeSpan.FromSeconds(merged.TtlSeconds.Value), region,
            string.IsNullOrWhiteSpace(merged.Header) ? "OC-Cache-Control" : merged.Header,
            merged.EnableContentHashing ?? false, merged.Shared ?? false, TimeSpan.FromSeconds(merged.StaleIfErrorSeconds ?? 300))
        {
            Tags = [ResponseCache.RegionTag(region), ResponseCache.RouteTag(c.Id)],
        };
    }
}
