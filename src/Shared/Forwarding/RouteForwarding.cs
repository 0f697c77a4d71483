namespace Bff.Shared.Forwarding;

/// <summary>How a route's requests are sent: scheme, method, HTTP version and policy, handler options.</summary>
internal sealed record RouteForwarding(string? Scheme, string? Method, Version Version, HttpVersionPolicy VersionPolicy, InvokerSettings Invoker);
