namespace Bff.Shared.Headers;

/// <summary>A route's header settings: request id header, Upstream/DownstreamHeaderTransform (merged with the global
/// ones), the public BaseUrl.</summary>
internal sealed record RouteHeaders(string? RequestIdKey, HeaderTransform[] Request, HeaderTransform[] Response, string? BaseUrl);
