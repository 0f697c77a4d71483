using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.KeyStore;

/// <summary>A gateway with the key store (a real SQLite file or PostgreSQL database) and the ApiKey scheme, on a controllable clock.</summary>
internal sealed class KeyStoreGateway : IAsyncDisposable
{
    private readonly KeyStoreDatabase? _ownDatabase;

    private KeyStoreGateway(GatewayTestHost host, KeyStoreDatabase database, KeyStoreDatabase? ownDatabase, FakeTimeProvider time)
    {
        Host = host;
        Database = database;
        _ownDatabase = ownDatabase;
        Time = time;
    }

    public GatewayTestHost Host { get; }
    public FakeTimeProvider Time { get; }

    /// <summary>Where the key store is (shared by replicas started with the same <c>database</c> or <c>sharedData</c>).</summary>
    public KeyStoreDatabase Database { get; }

    internal KeyStoreService Store => Host.Services.GetRequiredService<KeyStoreService>();
    public static AuditActor Tester { get; } = new("test:runner", "127.0.0.1");

    /// <summary>Starts a gateway whose key store is <paramref name="database"/>, else a new database of
    /// <paramref name="provider"/> (for SQLite in <paramref name="sharedData"/> when given), dropped on dispose.</summary>
    public static async Task<KeyStoreGateway> StartAsync(string ocelotJson, TempFolder? sharedData = null, string? redis = null, IDictionary<string, string?>? extra = null,
        bool clientCredentials = false, KeyStoreProvider provider = KeyStoreProvider.Sqlite, KeyStoreDatabase? database = null)
    {
        var own = database is null ? await KeyStoreDatabase.CreateAsync(provider, sharedData) : null;
        var store = database ?? own!;
        var time = TestClock.StartingNow();
        var settings = store.Settings(redis);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = await GatewayTestHost.StartAsync(ocelotJson, settings,
            services => services.AddSingleton<TimeProvider>(time),
            builder =>
            {
                builder.AddKeyStore().AddApiKeyAuthentication();
                if (clientCredentials) builder.AddClientCredentials();
            });
        return new KeyStoreGateway(host, store, own, time);
    }

    public async Task<CreatedKey> NewKeyAsync(string scopes, string client = "acme", DateTime? expires = null)
    {
        if (!(await Store.ListClientsAsync()).Any(c => c.Name == client)) await Store.CreateClientAsync(client, null, Tester);
        return await Store.CreateKeyAsync(client, KeyStoreService.SplitScopes(scopes), expires, null, Tester);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_ownDatabase is not null) await _ownDatabase.DisposeAsync();
    }
}
