using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// The <c>Kube</c>, <c>WatchKube</c> and <c>PollKube</c> providers (KubernetesClient): the service's EndpointSlices
/// (label <c>kubernetes.io/service-name</c>) in its namespace, ready endpoints only, on the port named like the route's
/// DownstreamScheme (Ocelot's rule; else the first port). <c>Kube</c> and <c>WatchKube</c> list once and then follow
/// a watch from that resourceVersion; <c>PollKube</c> lists every PollingInterval. The API server is the in-cluster
/// one (service account token) unless <c>Host</c> is given, with <c>Token</c> as bearer token.
/// </summary>
internal sealed class KubeServiceRegistry(ServiceRegistryOptions options, TimeProvider time) : IServiceRegistry, IDisposable
{
    private const string ServiceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
    // Created on first use, so a gateway outside a cluster reports the failure per service (Degraded), not at startup.
    private readonly Lazy<Kubernetes> _client = new(() => new Kubernetes(Configure(options)), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The pod's namespace from its service account, when running in a cluster.</summary>
    public static string? PodNamespace() => File.Exists(ServiceAccountNamespace) ? File.ReadAllText(ServiceAccountNamespace).Trim() : null;

    private static KubernetesClientConfiguration Configure(ServiceRegistryOptions options)
    {
        if (options.Host is null) return KubernetesClientConfiguration.InClusterConfig();
        var port = options.Port > 0 ? options.Port : options.Scheme == "http" ? 80 : 443;
        return new KubernetesClientConfiguration { Host = $"{options.Scheme}://{options.Host}:{port}", AccessToken = options.Token };
    }

    public async IAsyncEnumerable<IReadOnlyList<(string Host, int Port)>> WatchAsync(DiscoveredService service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = _client.Value;
        var ns = service.Namespace ?? options.Namespace ?? PodNamespace() ?? "default";
        var selector = $"kubernetes.io/service-name={service.Name}";
        var slices = new Dictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
        var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
        foreach (var slice in list.Items) slices[slice.Metadata.Name] = slice;
        yield return Instances(slices.Values, service.PortName);

        if (options.Polls)
        {
            while (true)
            {
                await Task.Delay(options.PollingInterval, time, cancellationToken);
                list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
                yield return Instances(list.Items, service.PortName);
            }
        }

        var version = list.Metadata.ResourceVersion;
        while (true)
        {
            // A watch ends after timeoutSeconds (or when the server closes it): continue from the last version seen.
            Exception? failed = null;
            var events = client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(ns, allowWatchBookmarks: true, labelSelector: selector,
                resourceVersion: version, timeoutSeconds: 300, onError: e => failed ??= e, cancellationToken: cancellationToken);
            await foreach (var (type, slice) in events)
            {
                if (type == WatchEventType.Error) throw new InvalidOperationException("the EndpointSlice watch reported an error (the list is read again)");
                version = slice.Metadata?.ResourceVersion ?? version;
                if (type == WatchEventType.Bookmark) continue;
                if (type == WatchEventType.Deleted) slices.Remove(slice.Metadata!.Name);
                else slices[slice.Metadata!.Name] = slice;
                yield return Instances(slices.Values, service.PortName);
            }
            if (failed is not null) throw new InvalidOperationException($"the EndpointSlice watch failed: {failed.Message}", failed);
        }
    }

    private static List<(string Host, int Port)> Instances(IEnumerable<V1EndpointSlice> slices, string? portName)
    {
        var instances = new List<(string, int)>();
        foreach (var slice in slices.OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            var ports = slice.Ports?.Where(p => p.Port is not null).ToList() ?? [];
            var port = ports.FirstOrDefault(p => string.Equals(p.Name, portName, StringComparison.OrdinalIgnoreCase)) ?? ports.FirstOrDefault();
            if (port is null) continue;
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                // Ready unless the API says otherwise (nil means ready); a terminating endpoint is not ready.
                if (endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 }) continue;
                instances.Add((endpoint.Addresses[0], port.Port!.Value));
            }
        }
        return instances;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
