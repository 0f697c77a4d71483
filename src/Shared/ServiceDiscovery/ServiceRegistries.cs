using Microsoft.Extensions.ServiceDiscovery;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>One registry client per provider configuration (a reload with the same settings keeps its clients).</summary>
internal sealed class ServiceRegistries(ServiceEndpointResolver resolver, TimeProvider time) : IDisposable
{
    private readonly Dictionary<ServiceRegistryOptions, IServiceRegistry> _registries = [];

    public IServiceRegistry For(ServiceRegistryOptions options)
    {
        lock (_registries)
        {
            if (!_registries.TryGetValue(options, out var registry))
                _registries[options] = registry = options.Type switch
                {
                    ServiceRegistryOptions.Dns => new DnsServiceRegistry(options, time),
                    ServiceRegistryOptions.Kube or ServiceRegistryOptions.WatchKube or ServiceRegistryOptions.PollKube => new KubeServiceRegistry(options, time),
                    ServiceRegistryOptions.Consul or ServiceRegistryOptions.PollConsul => new ConsulServiceRegistry(options, time),
                    _ => new ConfigurationServiceRegistry(resolver, time),
                };
            return registry;
        }
    }

    public void Dispose()
    {
        lock (_registries)
        {
            foreach (var registry in _registries.Values) (registry as IDisposable)?.Dispose();
            _registries.Clear();
        }
    }
}
