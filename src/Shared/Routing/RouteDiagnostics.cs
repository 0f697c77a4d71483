using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Routing;

/// <summary>
/// Turns each route and aggregate into an ASP.NET Core <see cref="Endpoint"/> (YARP's model): the model travels as
/// endpoint metadata, so framework middlewares (authentication, authorization, rate limiting, output caching) can act
/// on gateway routes through metadata the later features add here.
/// </summary>
/// <summary>Gives ASP.NET Core's <c>http.server.request.duration</c> its <c>http.route</c>: the route's Key, else its
/// upstream template.</summary>
internal sealed record RouteDiagnostics(string Route) : Microsoft.AspNetCore.Http.Metadata.IRouteDiagnosticsMetadata;
