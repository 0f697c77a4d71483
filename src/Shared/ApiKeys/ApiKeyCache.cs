using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Bff.Shared.ApiKeys;

/// <summary>
/// Key lookups through FusionCache: memory, plus Redis with a backplane when <c>ConnectionStrings:Redis</c> is set.
/// A change that takes access away (revocation, disabled client, rotation) publishes the changed record: with Redis it is written
/// to Redis and every replica drops its copy at once, so replicas learn it without reading the key store (which may
/// be slow or down). Fail-safe only with Redis: when the database is down, keys looked up before keep working there;
/// without Redis no record older than the cache duration (a second) is used. A key never seen fails closed (the
/// lookup throws, the caller answers 503).
/// </summary>
internal sealed class ApiKeyCache(IFusionCacheProvider caches, KeyStoreContextFactory contexts, IOptions<ApiKeyOptions> options)
{
    public const string CacheName = "bffs-apikeys";

    /// <summary>How long "no such key" is remembered (in memory only).</summary>
    public static readonly TimeSpan UnknownDuration = TimeSpan.FromSeconds(1);

    /// <summary>The memory level: at most <c>ApiKeys:CacheEntries</c> records (each entry has size 1).</summary>
    internal MemoryCache Memory { get; } = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheEntries), CompactionPercentage = 0.1 });

    private IFusionCache Cache => caches.GetCache(CacheName);

    private static string CacheKey(string id) => "apikey:" + id;

    // On the thread pool: SQLite's async calls block while the file is locked, and the cache's timeouts only
    // work on a factory that returns.
    public async ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        await Cache.GetOrSetAsync<ApiKeyRecord?>(CacheKey(id), async (context, ct) =>
        {
            var record = await Task.Run(() => LoadAsync(id, ct), ct);
            if (record is null)
            {
                // Guessed ids are as many as a guesser likes: briefly, in memory, and nowhere else.
                context.Options.Duration = UnknownDuration;
                context.Options.SkipDistributedCacheWrite = true;
                context.Options.SkipBackplaneNotifications = true;
            }
            return record;
        }, token: cancellationToken);

    /// <summary>A new key: drops any "no such key" entry, everywhere.</summary>
    public ValueTask ForgetAsync(string id, CancellationToken cancellationToken = default) =>
        Cache.RemoveAsync(CacheKey(id), token: cancellationToken);

    /// <summary>Reads the key's record after a change and puts it in the cache (Redis and every replica when configured).</summary>
    public async ValueTask PublishAsync(string id, CancellationToken cancellationToken = default) =>
        await Cache.SetAsync(CacheKey(id), await LoadAsync(id, cancellationToken), token: cancellationToken);

    private async Task<ApiKeyRecord?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var row = await (
            from key in db.ApiKeys.AsNoTracking()
            join client in db.Clients.AsNoTracking() on key.ClientId equals client.Id
            where key.Id == id
            select new { key, client }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new ApiKeyRecord(
            row.key.Id, row.client.Id, row.client.Name, row.client.Disabled, row.key.Hash, row.key.Scopes, row.client.PlanName,
            row.key.ExpiresAt, row.key.RevokedAt);
    }
}
