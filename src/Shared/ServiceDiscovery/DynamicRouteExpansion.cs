using System.Reflection;
using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// Ocelot's dynamic routing: with a <c>ServiceDiscoveryProvider</c> Type and no static <c>Routes</c>,
/// <c>/{service}/{everything}</c> reaches that service's <c>/{everything}</c>. Each service becomes one ordinary route
/// — its <c>DynamicRoutes</c> entry's options (RateLimitRule, QoS, cache …) or none, falling back to the global scheme
/// and HTTP version — for the services the configuration knows: those <c>DynamicRoutes</c> name and those under the
/// <c>Services</c> section (the Configuration provider's). A name a client makes up is not a route (404), so clients
/// cannot make the gateway hold state per name.
/// </summary>
internal static class DynamicRouteExpansion
{
    private static readonly PropertyInfo[] Shared =
        [.. typeof(FileRouteBase).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite)];

    public static List<(FileRoute Route, ItemSource Source, string At)> Expand(LoadedConfiguration loaded, ModelBuildContext context, List<ConfigError> errors)
    {
        var file = loaded.File;
        var global = file.GlobalConfiguration;
        var provider = global.ServiceDiscoveryProvider?.Type;
        var entries = new Dictionary<string, (FileDynamicRoute Route, ItemSource Source)>(StringComparer.Ordinal);
        for (var i = 0; i < file.DynamicRoutes.Count; i++)
        {
            var source = OcelotFileLoader.SourceOf(loaded.DynamicRouteSources, i, null);
            var at = $"DynamicRoutes[{source.Index}]";
            var route = file.DynamicRoutes[i];
            if (string.IsNullOrWhiteSpace(provider))
                errors.Add(new ConfigError(source.File, at, "DynamicRoutes need GlobalConfiguration.ServiceDiscoveryProvider (dynamic routing resolves /{service}/… through it)"));
            else if (file.Routes.Count > 0)
                errors.Add(new ConfigError(source.File, at, "DynamicRoutes are used only when there are no Routes (Ocelot ignores them then): remove one or the other"));
            else if (string.IsNullOrWhiteSpace(route.ServiceName))
                errors.Add(new ConfigError(source.File, $"{at}.ServiceName", "a dynamic route needs the ServiceName it configures"));
            else if (!entries.TryAdd(route.ServiceName, (route, source)))
                errors.Add(new ConfigError(source.File, $"{at}.ServiceName", $"'{route.ServiceName}' is configured twice"));
        }
        if (string.IsNullOrWhiteSpace(provider) || file.Routes.Count > 0) return [];

        var services = entries.Keys.Concat(context.DiscoverableServices ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<(FileRoute, ItemSource, string)>();
        foreach (var service in services)
        {
            var route = new FileRoute { UpstreamPathTemplate = $"/{service}/{{everything}}", DownstreamPathTemplate = "/{everything}" };
            ItemSource source;
            string at;
            if (entries.TryGetValue(service, out var entry))
            {
                foreach (var property in Shared) property.SetValue(route, property.GetValue(entry.Route));
                route.RateLimitOptions = entry.Route.RateLimitRule ?? entry.Route.RateLimitOptions; // the obsolete name wins (Ocelot)
                (source, at) = (entry.Source, $"DynamicRoutes[{entry.Source.Index}]");
            }
            else (source, at) = (new ItemSource(loaded.GlobalSource, 0), $"Services:{service}");
            route.ServiceName = service;
            route.DownstreamScheme ??= global.DownstreamScheme;
            route.DownstreamHttpVersion ??= global.DownstreamHttpVersion;
            route.DownstreamHttpVersionPolicy ??= global.DownstreamHttpVersionPolicy;
            result.Add((route, source, at));
        }
        return result;
    }
}
