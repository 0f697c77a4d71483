using System.Collections.Concurrent;
using Bff.Shared.Observability;
using Bff.Shared.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Shared.Oidc;

/// <summary>
/// The signed-in user's access token for a session, refreshed before it expires — single-flight per session in this
/// process (one task that concurrent requests share) and across replicas (a Redis lock per session; the others wait
/// for the new tokens to appear in the shared session). A refresh the provider refuses ends the session.
/// </summary>
internal sealed partial class UserAccessTokens(
    SessionService sessions, SessionTokenProtector protector, OidcProviderClient provider, IOptions<OidcOptions> options, TimeProvider time,
    ILogger<UserAccessTokens> logger, IConnectionMultiplexer? redis = null)
{
    private static readonly TimeSpan LockTime = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, Task<UserTokens?>> _refreshing = new(StringComparer.Ordinal);

    /// <summary>The access token; null when the session has none any more (refresh refused: the session is ended).</summary>
    public async Task<string?> GetAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var tokens = protector.Unprotect(session.Tokens);
        if (tokens is null) return null;
        if (!NeedsRefresh(tokens)) return tokens.AccessToken;
        var refresh = _refreshing.GetOrAdd(session.Key, _ => RefreshAsync(session));
        try
        {
            return (await refresh.WaitAsync(cancellationToken))?.AccessToken;
        }
        finally
        {
            _refreshing.TryRemove(KeyValuePair.Create(session.Key, refresh));
        }
    }

    private bool NeedsRefresh(UserTokens tokens) => tokens.ExpiresAt - time.GetUtcNow() <= options.Value.RefreshBeforeExpiry;

    private async Task<UserTokens?> RefreshAsync(SessionRecord session)
    {
        await Task.Yield(); // the caller registers the task before it runs
        using var timeout = new CancellationTokenSource(LockTime);
        var cancellationToken = timeout.Token;
        var lockKey = (RedisKey)("bffs:session-refresh:" + session.Key);
        var owner = Guid.NewGuid().ToString("N");
        while (true)
        {
            // Another replica may have refreshed meanwhile: its tokens are in the shared session.
            var current = await sessions.ReloadAsync(session, cancellationToken);
            var tokens = protector.Unprotect(current?.Tokens);
            if (current is null || tokens is null) return null;
            if (!NeedsRefresh(tokens)) return tokens;
            if (await TryLockAsync(lockKey, owner))
            {
                try
                {
                    current = await sessions.ReloadAsync(session, cancellationToken);
                    tokens = protector.Unprotect(current?.Tokens);
                    if (current is null || tokens is null) return null;
                    if (!NeedsRefresh(tokens)) return tokens;
                    var fresh = await provider.RefreshAsync(tokens, cancellationToken);
                    if (fresh is null)
                    {
                        Log.RefreshRefused(logger, current.Handle);
                        await sessions.RevokeAsync(current, cancellationToken);
                        return null;
                    }
                    await sessions.UpdateAsync(current with { Tokens = protector.Protect(fresh) }, cancellationToken);
                    Log.Refreshed(logger, current.Handle);
                    return fresh;
                }
                finally
                {
                    await UnlockAsync(lockKey, owner);
                }
            }
            // A poll of the shared session while another replica refreshes (real time: not part of any expiry).
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private async Task<bool> TryLockAsync(RedisKey key, string owner)
    {
        if (redis is null) return true; // one process: the in-process single flight is enough
        try
        {
            return await redis.GetDatabase().StringSetAsync(key, owner, LockTime, When.NotExists);
        }
        catch (RedisException e)
        {
            Log.LockUnavailable(logger, e.GetType().Name);
            return true; // better a second refresh than none
        }
    }

    private async Task UnlockAsync(RedisKey key, string owner)
    {
        if (redis is null) return;
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", [key], [owner]);
        }
        catch (RedisException)
        {
            // The lock expires by itself.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.OidcTokenRefreshed, LogLevel.Debug, "Session {Session}: access token refreshed")]
        public static partial void Refreshed(ILogger logger, string session);

        [LoggerMessage(GatewayEventIds.OidcRefreshRefused, LogLevel.Information, "Session {Session}: the provider refused the refresh; the session is ended")]
        public static partial void RefreshRefused(ILogger logger, string session);

        [LoggerMessage(GatewayEventIds.OidcRefreshLockUnavailable, LogLevel.Warning, "The refresh lock in Redis is unavailable ({Error}); refreshing without it")]
        public static partial void LockUnavailable(ILogger logger, string error);
    }
}
