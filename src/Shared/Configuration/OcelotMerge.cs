using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Bff.Shared.Configuration;

/// <summary>
/// Ocelot 24.1+ global ↔ route merge (schema §3.1), written once for every section that has a global twin: the
/// global section applies to a route when it has no <c>RouteKeys</c> or lists the route's Key; then each setting the
/// route leaves unset (null, an empty or blank string, an empty list) takes the global value.
/// </summary>
internal static class OcelotMerge
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Settable = new();

    /// <summary>Whether a global section with <paramref name="routeKeys"/> applies to the route with <paramref name="key"/>.</summary>
    public static bool Applies(List<string>? routeKeys, string? key) =>
        routeKeys is null || routeKeys.Count == 0 || (key is not null && routeKeys.Contains(key));

    /// <summary>The route's section merged with the global one (null when neither applies).</summary>
    public static T? Merge<T, TGlobal>(T? route, TGlobal? global, List<string>? routeKeys, string? key)
        where T : class, new() where TGlobal : class, T
    {
        var applies = Applies(routeKeys, key);
        if (route is null) return applies ? global : null;
        if (global is null || !applies) return route;
        var merged = new T();
        foreach (var property in Settable.GetOrAdd(typeof(T), static type =>
                     [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite)]))
        {
            var own = property.GetValue(route);
            property.SetValue(merged, IsUnset(own) ? property.GetValue(global) : own);
        }
        return merged;
    }

    private static bool IsUnset(object? value) => value switch
    {
        null => true,
        string text => string.IsNullOrWhiteSpace(text),
        ICollection collection => collection.Count == 0,
        _ => false,
    };
}
