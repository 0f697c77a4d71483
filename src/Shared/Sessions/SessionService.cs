using Bff.Shared.Users;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Sessions;

/// <summary>
/// Creates, checks, slides and revokes server-side sessions: an idle timeout that each use extends (written at most
/// every few seconds) and an absolute lifetime that nothing extends.
/// </summary>
internal sealed class SessionService(ISessionStore store, UserService users, IOptions<SessionOptions> options, TimeProvider time)
{
    private readonly SessionOptions _options = options.Value;
    // Whether a user may still be signed in, re-read at most every 30 s per user (disabling works from any process).
    private readonly MemoryCache _activeUsers = new(new MemoryCacheOptions());

    private TimeSpan SlideInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, _options.IdleTimeout.Ticks / 10));

    public async Task<(string Secret, SessionRecord Session)> CreateAsync(UserIdentity user, HttpContext context, CancellationToken cancellationToken,
        string? provider = null, string? providerSessionId = null, string? tokens = null)
    {
        var secret = SessionKeys.NewSecret();
        var key = SessionKeys.KeyOf(secret);
        var now = time.GetUtcNow();
        var session = new SessionRecord(key, SessionKeys.HandleOf(key), user.Id, user.Username, user.Roles, now, now, now + _options.AbsoluteLifetime,
            Truncate(context.Request.Headers.UserAgent.ToString(), 200), context.Connection.RemoteIpAddress?.ToString(), user.Claims, provider, providerSessionId, tokens);
        await store.SaveAsync(session, TimeToLive(session, now), cancellationToken);
        return (secret, session);
    }

    /// <summary>The live session of a secret id, slid forward unless <paramref name="slide"/> is false; null when over.</summary>
    public async Task<SessionRecord?> ValidateAsync(string secret, bool slide, CancellationToken cancellationToken)
    {
        var session = await store.GetAsync(SessionKeys.KeyOf(secret), cancellationToken);
        if (session is null) return null;
        var now = time.GetUtcNow();
        // A user of the key store must still be active; a provider's user is the provider's to end (back-channel logout).
        if (now >= session.ExpiresAt || now - session.LastSeenAt >= _options.IdleTimeout
            || (session.Provider is null && !await IsActiveAsync(session.UserId, cancellationToken)))
        {
            await store.DeleteAsync(session, cancellationToken);
            return null;
        }
        if (slide && now - session.LastSeenAt >= SlideInterval)
        {
            session = session with { LastSeenAt = now };
            await store.TouchAsync(session, TimeToLive(session, now), cancellationToken);
        }
        return session;
    }

    private async Task<bool> IsActiveAsync(string userId, CancellationToken cancellationToken)
    {
        if (_activeUsers.TryGetValue(userId, out bool active)) return active;
        active = await users.FindActiveAsync(userId, cancellationToken) is not null;
        _activeUsers.Set(userId, active, TimeSpan.FromSeconds(30));
        return active;
    }

    /// <summary>Ends every session of a user (on disable).</summary>
    public async Task RevokeAllAsync(string userId, CancellationToken cancellationToken)
    {
        _activeUsers.Remove(userId);
        foreach (var session in await store.ListAsync(userId, cancellationToken)) await store.DeleteAsync(session, cancellationToken);
    }

    /// <summary>The session as the store has it now (another replica may have changed its tokens); null when over.</summary>
    public Task<SessionRecord?> ReloadAsync(SessionRecord session, CancellationToken cancellationToken) => store.GetAsync(session.Key, cancellationToken);

    /// <summary>Writes a changed session (new tokens) if it still exists — a revocation elsewhere is not undone.</summary>
    public Task UpdateAsync(SessionRecord session, CancellationToken cancellationToken) =>
        store.TouchAsync(session, TimeToLive(session, time.GetUtcNow()), cancellationToken);

    public DateTimeOffset IdleExpiry(SessionRecord session) => Min(session.LastSeenAt + _options.IdleTimeout, session.ExpiresAt);

    public Task RevokeAsync(SessionRecord session, CancellationToken cancellationToken) => store.DeleteAsync(session, cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken) => store.ListAsync(userId, cancellationToken);

    private TimeSpan TimeToLive(SessionRecord session, DateTimeOffset now) => Min(session.LastSeenAt + _options.IdleTimeout, session.ExpiresAt) - now;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string? Truncate(string value, int length) => value.Length == 0 ? null : value.Length <= length ? value : value[..length];
}
