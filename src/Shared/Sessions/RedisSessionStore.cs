using System.Text.Json;
using StackExchange.Redis;

namespace Bff.Shared.Sessions;

/// <summary>
/// Sessions in Redis: <c>bffs:session:{key}</c> (JSON, expiring with the session) and a per-user set. Through a
/// failover (Sentinel, Cluster): a read whose connection broke under it is asked again, of a replica if the master is
/// gone; a failed slide of the idle timeout is dropped (the next request slides it).
/// </summary>
internal sealed partial class RedisSessionStore(IConnectionMultiplexer redis, Microsoft.Extensions.Logging.ILogger<RedisSessionStore> logger) : ISessionStore
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

    public async Task TouchAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(SessionKey(session.Key), JsonSerializer.Serialize(session), timeToLive, When.Exists);
        }
        catch (Exception e) when (Bff.Shared.Problems.RedisUnavailableExceptionHandler.IsUnavailable(e))
        {
            // No writable master for a moment (READONLY on a demoted one, or none yet): the session stays valid.
            Log.TouchFailed(logger, e.GetType().Name);
        }
    }

    public async Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        RedisValue value;
        try
        {
            value = await redis.GetDatabase().StringGetAsync(SessionKey(key));
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            value = await redis.GetDatabase().StringGetAsync(SessionKey(key), CommandFlags.PreferReplica);
        }
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

    private static partial class Log
    {
        [Microsoft.Extensions.Logging.LoggerMessage(Bff.Shared.Observability.GatewayEventIds.SessionTouchFailed, Microsoft.Extensions.Logging.LogLevel.Warning,
            "Sessions: sliding a session's idle timeout failed ({ExceptionType}); it is slid again by the next request")]
        public static partial void TouchFailed(Microsoft.Extensions.Logging.ILogger logger, string exceptionType);
    }
}
