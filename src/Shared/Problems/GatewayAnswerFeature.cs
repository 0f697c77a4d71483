namespace Bff.Shared.Problems;

/// <summary>
/// Every answer the gateway makes itself is RFC 9457 <c>application/problem+json</c> with <c>type</c>, <c>title</c>,
/// <c>status</c>, <c>detail</c> and <c>traceId</c> — never a stack trace or an internal address.
/// </summary>
/// <summary>Marks a response the gateway made itself (not the downstream's).</summary>
internal sealed class GatewayAnswerFeature
{
    public static readonly GatewayAnswerFeature Instance = new();
}
