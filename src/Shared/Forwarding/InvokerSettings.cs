namespace Bff.Shared.Forwarding;

/// <summary>The handler settings that make two routes need different connection pools.</summary>
internal sealed record InvokerSettings(
    bool AllowAutoRedirect,
    int MaxConnectionsPerServer,
    int PooledConnectionLifetimeSeconds,
    bool UseProxy,
    bool DangerousAcceptAnyServerCertificate);
