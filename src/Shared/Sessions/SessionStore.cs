using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace Bff.Shared.Sessions;

/// <summary>
/// A server-side session. The browser holds only the secret id; the store keys sessions by its SHA-256, so reading
/// the store does not let anyone take a session over. <see cref="Handle"/> is a public name for listing and revoking.
/// </summary>
public sealed record SessionRecord(
    string Key, string Handle, string UserId, string Username, IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? UserAgent, string? RemoteAddress,
    IReadOnlyDictionary<string, string>? Claims = null);

/// <summary>Where sessions live: Redis when <c>ConnectionStrings:Redis</c> is set (shared by replicas), else memory.</summary>
public interface ISessionStore
{
    Task SaveAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken);
    /// <summary>Slides a session forward only if it still exists (a revocation elsewhere must not be undone).</summary>
    Task TouchAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken);
    Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken);
    Task DeleteAsync(SessionRecord session, CancellationToken cancellationToken);
    Task<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken);
}

internal static class SessionKeys
{
    /// <summary>A new secret session id (32 random bytes, base64url) for the cookie.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The store key of a secret id.</summary>
    public static string KeyOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The public handle of a session (not enough to use it).</summary>
    public static string HandleOf(string key) => key[..16].ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Sessions in Redis: <c>bffs:session:{key}</c> (JSON, expiring with the session) and a per-user set.</summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis) : ISessionStore
{
    private static RedisKey SessionKey(string key) => "bffs:session:" + key;
    private static RedisKey UserKey(string userId) => "bffs:user-sessions:" + userId;

    public async Task SaveAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var set = batch.StringSetAsync(SessionKey(session.Key), JsonSerializer.Serialize(session), timeToLive);
        var add = batch.SetAddAsync(UserKey(session.UserId), session.Key);
        var expire = batch.KeyExpireAsync(UserKey(session.UserId), TimeSpan.FromDays(30));
        batch.Execute();
        await Task.WhenAll(set, add, expire);
    }

    public Task TouchAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(SessionKey(session.Key), JsonSerializer.Serialize(session), timeToLive, When.Exists);

    public async Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(SessionKey(key));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SessionRecord>(value.ToString());
    }

    public async Task DeleteAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await db.KeyDeleteAsync(SessionKey(session.Key));
        await db.SetRemoveAsync(UserKey(session.UserId), session.Key);
    }

    public async Task<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var sessions = new List<SessionRecord>();
        foreach (var member in await db.SetMembersAsync(UserKey(userId)))
        {
            var session = await GetAsync(member.ToString(), cancellationToken);
            if (session is null) await db.SetRemoveAsync(UserKey(userId), member);
            else sessions.Add(session);
        }
        return sessions;
    }
}
