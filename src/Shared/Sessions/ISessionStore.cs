namespace Bff.Shared.Sessions;

/// <summary>Where sessions live: Redis when <c>ConnectionStrings:Redis</c> is set (shared by replicas), else memory.</summary>
internal interface ISessionStore
{
    Task SaveAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken);
    /// <summary>Slides a session forward only if it still exists (a revocation elsewhere must not be undone).</summary>
    Task TouchAsync(SessionRecord session, TimeSpan timeToLive, CancellationToken cancellationToken);
    Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken);
    Task DeleteAsync(SessionRecord session, CancellationToken cancellationToken);
    Task<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken);
}
