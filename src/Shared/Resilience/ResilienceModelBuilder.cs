using Bff.Shared.Configuration;

namespace Bff.Shared.Resilience;

/// <summary>Builds a route's resilience from Timeout, QoSOptions and RetryOptions (each merged with the global section).</summary>
internal static class ResilienceModelBuilder
{
    private const int DefaultTimeoutSeconds = 90;

    public static RouteResilience Build(RouteBuildContext c)
    {
        var (r, global) = (c.Route, c.Global);
        var timeout = r.Timeout is > 0 ? r.Timeout.Value : global.Timeout is > 0 ? global.Timeout.Value : DefaultTimeoutSeconds;
        var qos = RouteQosModel.Create(OcelotMerge.Merge(r.QoSOptions, global.QoSOptions, global.QoSOptions?.RouteKeys, r.Key));
        // Ocelot stretches the route timeout to twice the QoS timeout when it is not longer, so the QoS timeout is the
        // one that fires: here it is the route's activity timeout.
        var retryOptions = OcelotMerge.Merge(r.RetryOptions, global.RetryOptions, global.RetryOptions?.RouteKeys, r.Key);
        var retry = RouteRetryModel.Create(c.Id, retryOptions, qos?.Timeout, c.Host.Time ?? TimeProvider.System, c.Errors);
        // With retries the QoS timeout limits each attempt (in the retry handler) and the route Timeout the whole.
        var activityTimeout = retry is null ? qos?.Timeout ?? TimeSpan.FromSeconds(timeout) : TimeSpan.FromSeconds(timeout);
        return new RouteResilience(qos, retry, activityTimeout);
    }
}
