namespace Bff.Shared.Hosting;

/// <summary>How forwarded headers are produced (<c>Gateway:ForwardedHeaders</c>).</summary>
public enum ForwardedHeadersMode
{
    /// <summary>Inbound X-Forwarded-*/Forwarded are dropped and the gateway sets its own (default).</summary>
    Set,
    /// <summary>Inbound X-Forwarded-For is trusted and the client address appended (only behind a trusted proxy).</summary>
    Append,
    /// <summary>Inbound forwarded headers are dropped and none are added.</summary>
    Off,
}
