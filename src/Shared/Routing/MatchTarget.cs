using Bff.Shared.Configuration;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>What route matching needs of a route or an aggregate (Ocelot matches both the same way).</summary>
internal abstract class MatchTarget
{
    /// <summary>The route's Key, or its upstream template when it has none (metrics tag, endpoint name).</summary>
    public required string Id { get; init; }
    public required ItemSource Source { get; init; }
    public required UpstreamTemplate Upstream { get; init; }
    public required int Priority { get; init; }
    /// <summary>Upper-case methods, or null for every method.</summary>
    public string[]? Methods { get; init; }
    public string? UpstreamHost { get; init; }
    public HeaderTemplate[] HeaderTemplates { get; init; } = [];

    /// <summary>The ASP.NET Core endpoint this target runs as (metadata + request delegate).</summary>
    public Endpoint Endpoint { get; set; } = null!;

    public bool AllowsMethod(string method)
    {
        if (Methods is null) return true;
        foreach (var m in Methods)
            if (string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
