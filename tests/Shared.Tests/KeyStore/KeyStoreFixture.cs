using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.KeyStore;

/// <summary>A gateway with the key store (a real SQLite file) and the ApiKey scheme, on a controllable clock.</summary>
internal sealed class KeyStoreGateway : IAsyncDisposable
{
    private readonly TempFolder _data;

    private KeyStoreGateway(GatewayTestHost host, TempFolder data, FakeTimeProvider time)
    {
        Host = host;
        _data = data;
        Time = time;
    }

    public GatewayTestHost Host { get; }
    public FakeTimeProvider Time { get; }
    public string DatabaseFile => Path.Combine(_data.Path, "keystore.db");
    internal KeyStoreService Store => Host.Services.GetRequiredService<KeyStoreService>();
    public static AuditActor Tester { get; } = new("test:runner", "127.0.0.1");

    public static async Task<KeyStoreGateway> StartAsync(string ocelotJson, TempFolder? sharedData = null, string? redis = null, IDictionary<string, string?>? extra = null,
        bool clientCredentials = false)
    {
        var data = sharedData ?? new TempFolder();
        var time = TestClock.StartingNow();
        var settings = GatewayTestHost.KeyStoreSettings(data, redis);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = await GatewayTestHost.StartAsync(ocelotJson, settings,
            services => services.AddSingleton<TimeProvider>(time),
            builder =>
            {
                builder.AddKeyStore().AddApiKeyAuthentication();
                if (clientCredentials) builder.AddClientCredentials();
            });
        return new KeyStoreGateway(host, sharedData is null ? data : new TempFolder(), time);
    }

    public async Task<CreatedKey> NewKeyAsync(string scopes, string client = "acme", DateTime? expires = null)
    {
        if (!(await Store.ListClientsAsync()).Any(c => c.Name == client)) await Store.CreateClientAsync(client, null, Tester);
        return await Store.CreateKeyAsync(client, KeyStoreService.SplitScopes(scopes), expires, null, Tester);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _data.Dispose();
    }
}
