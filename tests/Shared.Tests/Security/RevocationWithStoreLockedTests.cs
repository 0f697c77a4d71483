using System.Diagnostics;
using System.Net;
using Bff.Shared.Tests.KeyStore;
using Microsoft.Data.Sqlite;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// #17 item 7: a revoked API key is refused on every replica within a second even while the key store cannot be
/// read — the SQLite file is held by another connection's exclusive lock right after the revocation, so no replica
/// can learn it from the database. With Redis, the revoked record itself reaches every replica (401); without Redis,
/// no record older than a second is used, so a store that cannot be read refuses every key (503) rather than serving
/// the one it had.
/// </summary>
internal sealed class RevocationWithStoreLockedTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;

    [SetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
    }

    [TearDown]
    public async Task Stop()
    {
        await _backend.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private string Config => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders",
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } ] }
        """;

    [Test]
    [Category("Redis")]
    [CancelAfter(60_000)]
    public async Task WithRedis_EveryReplicaRefusesTheRevokedKey_WithinOneSecond_WhileTheStoreIsLocked()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = await KeyStoreGateway.StartAsync(Config, _data, redis.ConnectionString);
        await using var two = await KeyStoreGateway.StartAsync(Config, _data, redis.ConnectionString);
        await using var command = await KeyStoreGateway.StartAsync(Config, _data, redis.ConnectionString); // "keys revoke"
        var key = await command.NewKeyAsync("orders:read");
        Assert.That(await CallAsync(one, key.Key), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await CallAsync(two, key.Key), Is.EqualTo(HttpStatusCode.OK));

        await command.Store.RevokeKeyAsync(key.Id, KeyStoreGateway.Tester);
        var watch = Stopwatch.StartNew();
        await using var locked = await LockAsync(Path.Combine(_data.Path, "keystore.db"));

        foreach (var replica in new[] { one, two })
        {
            HttpStatusCode status;
            while ((status = await CallAsync(replica, key.Key)) == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(1))
                await Task.Delay(20);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "the replica knows the key is revoked without reading the store");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)), "refused within a second of the revocation");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task WithoutRedis_NoRecordOlderThanASecond_IsUsed_WhileTheStoreIsLocked()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config, _data);
        await using var command = await KeyStoreGateway.StartAsync(Config, _data); // "keys revoke", another process
        var key = await command.NewKeyAsync("orders:read");
        Assert.That(await CallAsync(gateway, key.Key), Is.EqualTo(HttpStatusCode.OK));

        await command.Store.RevokeKeyAsync(key.Id, KeyStoreGateway.Tester);
        await using var locked = await LockAsync(Path.Combine(_data.Path, "keystore.db"));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.That(await CallAsync(gateway, key.Key), Is.EqualTo(HttpStatusCode.ServiceUnavailable),
            "the gateway cannot read the store: it refuses rather than serve the record it had");
    }

    private static async Task<HttpStatusCode> CallAsync(KeyStoreGateway gateway, string key)
    {
        using var client = gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("X-Api-Key", key);
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>Another connection's exclusive write transaction: no other connection can read the file until it ends.</summary>
    private static async Task<StoreLock> LockAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        using (var begin = connection.CreateCommand())
        {
            // The key store is in WAL mode, where readers pass a writer: exclusive locking mode holds the file itself.
            begin.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE plans SET name = name WHERE 0;";
            await begin.ExecuteNonQueryAsync();
        }
        // The lock is real: a reader gives up.
        await using var reader = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
        await reader.OpenAsync();
        using var read = reader.CreateCommand();
        read.CommandText = "SELECT count(*) FROM api_keys";
        Assert.ThrowsAsync<SqliteException>(async () => await read.ExecuteScalarAsync(), "the store is locked for readers");
        return new StoreLock(connection);
    }

    private sealed class StoreLock(SqliteConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
