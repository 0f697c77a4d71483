using System.Diagnostics.Metrics;

namespace Bff.Shared.Observability;

/// <summary>The <c>Bffs.Gateway</c> meter. Instruments are named <c>bff.*</c>.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Bffs.Gateway";

    private readonly Counter<long> _authFailures;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _authFailures = meter.CreateCounter<long>("bff.auth.failures", unit: "{failure}", description: "Failed authentication attempts by scheme and reason");
    }

    public void AuthFailure(string scheme, string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("reason", reason));
}
