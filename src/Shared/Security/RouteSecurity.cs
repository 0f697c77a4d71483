namespace Bff.Shared.Security;

/// <summary>A route's checks before identity: IP allow/block lists and the body limit.</summary>
internal sealed record RouteSecurity(IpPolicy? IpPolicy, long? MaxRequestBodySize);
