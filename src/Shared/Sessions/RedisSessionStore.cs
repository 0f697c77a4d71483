using System.Text.Json;
using StackExchange.Redis;

namespace Bff.Shared.Sessions;

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
