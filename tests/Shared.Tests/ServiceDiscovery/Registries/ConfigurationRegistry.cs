using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.ServiceDiscovery.Registries;

/// <summary>
/// The Configuration provider's registry: the gateway's <c>Services</c> section, through a configuration provider
/// whose entries really come and go (a reload raises the change token, as a changed file would). "Down" is a section
/// that lists nothing: configuration cannot be unreachable.
/// </summary>
internal sealed class ConfigurationRegistry : ITestRegistry, IConfigurationSource
{
    private readonly ServicesProvider _provider = new();
    private Dictionary<string, string?> _instances = [];

    public string Provider => """{ "Type": "Configuration" }""";

    public void Configure(IHostApplicationBuilder builder) => builder.Configuration.Add(this);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    public Task SetAsync(params EchoBackend[] instances)
    {
        _instances = [];
        for (var i = 0; i < instances.Length; i++) _instances[$"Services:orders:http:{i}"] = $"http://127.0.0.1:{instances[i].Port}";
        _provider.Set(_instances);
        return Task.CompletedTask;
    }

    public Task GoDownAsync()
    {
        _provider.Set([]);
        return Task.CompletedTask;
    }

    public Task ComeBackAsync()
    {
        _provider.Set(_instances);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class ServicesProvider : ConfigurationProvider
    {
        public void Set(Dictionary<string, string?> instances)
        {
            Data = new Dictionary<string, string?>(instances, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }
}
