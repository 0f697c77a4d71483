namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// A route's <c>ServiceName</c> as the resolver is asked for it: <c>{scheme}://{name}</c> (Microsoft.Extensions
/// .ServiceDiscovery's query; the scheme is the route's DownstreamScheme, <c>https+http</c> when it has none).
/// </summary>
internal sealed record DiscoveredService(string Name, string Query);
