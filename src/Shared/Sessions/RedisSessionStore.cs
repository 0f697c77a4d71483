using System.Text.Json;
using StackExchange.Redis;

namespace Bff.Shared.Sessions;

/// <summary>
/// Sessions in Redis: <c>bffs:session:{key}</c> (JSON, expiring with the session) and a per-user set. Through a
/// failover (Sentinel, Cluster): a read that Redis could not serve is asked again (bounded), of a replica or the new master; a failed slide of the idle timeout is dropped (the next request slides it).
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

    // A session read through a failover is asked again, alternately of a replica and of whichever node is master
    // now: a demoted master may be reloading its data (LOADING) or the new one not yet known. About 0.7 s in all,
    // then the request answers 503 (RedisUnavailableExceptionHandler).
    private static readonly (TimeSpan Delay, CommandFlags Flags)[] ReadRetries =
        [(TimeSpan.FromMilliseconds(20), CommandFlags.PreferReplica), (TimeSpan.FromMilliseconds(150), CommandFlags.None), (TimeSpan.FromMilliseconds(500), CommandFlags.PreferReplica)];

    public async Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        RedisValue value;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                value = await redis.GetDatabase().StringGetAsync(SessionKey(key), attempt == 0 ? CommandFlags.None : ReadRetries[attempt - 1].Flags);
                break;
            }
            catch (Exception e) when (attempt < ReadRetries.Length && Bff.Shared.Problems.RedisUnavailableExceptionHandler.IsUnavailable(e))
            {
                Log.ReadRetried(logger, e.GetType().Name, Bff.Shared.Problems.RedisUnavailableExceptionHandler.ServerMessage(e));
                await Task.Delay(ReadRetries[attempt].Delay, cancellationToken);
            }
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

        [Microsoft.Extensions.Logging.LoggerMessage(Bff.Shared.Observability.GatewayEventIds.SessionReadRetried, Microsoft.Extensions.Logging.LogLevel.Information,
            "Sessions: a session read failed ({ExceptionType}: {RedisMessage}); asked again")]
        public static partial void ReadRetried(Microsoft.Extensions.Logging.ILogger logger, string exceptionType, string redisMessage);
    }
}
