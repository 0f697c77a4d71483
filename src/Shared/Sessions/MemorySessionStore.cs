using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Sessions;

/// <summary>
/// Sessions in process memory (no Redis configured): bounded — expired sessions are pruned every minute on a timer
/// of the <see cref="TimeProvider"/>, and a user keeps at most <see cref="SessionOptions.MaxPerUser"/> live sessions
/// (a new sign-in beyond that ends the oldest), so repeated sign-ins cannot grow the map without limit.
/// </summary>
internal sealed class MemorySessionStore : ISessionStore, IDisposable
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (SessionRecord Session, DateTimeOffset Until)> _sessions = new();
    private readonly Lock _saveGate = new();
    private readonly TimeProvider _time;
    private readonly int _maxPerUser;
    private readonly ITimer _pruner;

    public MemorySessionStore(TimeProvider time, IOptions<SessionOptions> options)
    {
        _time = time;
        _maxPerUser = options.Value.MaxPerUser;
        _pruner = time.CreateTimer(static state => ((MemorySessionStore)state!).Prune(), this, PruneInterval, PruneInterval);
    }

    /// <summary>How many sessions the store holds (expired ones included until the next prune).</summary>
    public int Count => _sessions.Count;

    public Task SaveAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_saveGate)
        {
            var live = _sessions.Values.Where(e => e.Session.UserId == session.UserId && e.Until > now && e.Session.Key != session.Key)
                .OrderBy(e => e.Session.CreatedAt).ToList();
            foreach (var (oldest, _) in live.Take(Math.Max(0, live.Count - (_maxPerUser - 1))))
                _sessions.TryRemove(oldest.Key, out _);
            _sessions[session.Key] = (session, now + timeToLive);
        }
        return Task.CompletedTask;
    }

    public Task TouchAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(session.Key, out var current))
            _sessions.TryUpdate(session.Key, (session, _time.GetUtcNow() + timeToLive), current);
        return Task.CompletedTask;
    }

    public Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.TryGetValue(key, out var entry) && entry.Until > _time.GetUtcNow() ? entry.Session : null);

    public Task DeleteAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(session.Key, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<SessionRecord>>([.. _sessions.Values.Where(e => e.Until > now && e.Session.UserId == userId).Select(e => e.Session)]);
    }

    internal void Prune()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, entry) in _sessions)
            if (entry.Until <= now) _sessions.TryRemove(key, out _);
    }

    public void Dispose() => _pruner.Dispose();
}
