using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using ZiggyCreatures.Caching.Fusion;

namespace Bff.Shared.ApiKeys;

/// <summary>What authentication needs to know about a key (cached; contains the hash, never the key).</summary>
public sealed record ApiKeyRecord(
    string Id, string ClientId, string ClientName, bool ClientDisabled, byte[] Hash, string Scopes, string? Plan,
    DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>
/// Key lookups through FusionCache: memory, plus Redis with a backplane when <c>ConnectionStrings:Redis</c> is set,
/// so a revocation evicts the key on every replica at once. Fail-safe: when the database is down, keys looked up
/// before keep working; a key never seen fails closed (the lookup throws, the caller answers 503).
/// </summary>
internal sealed class ApiKeyCache(IFusionCacheProvider caches, KeyStoreContextFactory contexts)
{
    public const string CacheName = "bffs-apikeys";

    private IFusionCache Cache => caches.GetCache(CacheName);

    private static string CacheKey(string id) => "apikey:" + id;

    public async ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        await Cache.GetOrSetAsync<ApiKeyRecord?>(CacheKey(id), async (_, ct) => await LoadAsync(id, ct), token: cancellationToken);

    public ValueTask EvictAsync(string id, CancellationToken cancellationToken = default) =>
        Cache.RemoveAsync(CacheKey(id), token: cancellationToken);

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
