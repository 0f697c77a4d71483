using Microsoft.EntityFrameworkCore;

namespace Bff.Shared.KeyStore;

/// <summary>
/// Writes <c>audit_log</c> records to <c>ConnectionStrings:Audit</c> (defaults to the key store's database).
/// </summary>
internal sealed class AuditLog(KeyStoreContextFactory contexts, TimeProvider time)
{
    public async Task WriteAsync(AuditActor actor, string action, string target, string outcome, string? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateAudit();
        db.Audit.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = actor.Name,
            Action = action,
            Target = target,
            SourceIp = actor.SourceIp,
            Outcome = outcome,
            Details = details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Runs an administrative operation and records it: "success", or "refused" with the reason.</summary>
    public async Task<T> RunAsync<T>(AuditActor actor, string action, string target, Func<Task<T>> operation, string? details, CancellationToken cancellationToken)
    {
        T result;
        try
        {
            result = await operation();
        }
        catch (KeyStoreException e)
        {
            await WriteAsync(actor, action, target, "refused", e.Message, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await WriteAsync(actor, action, target, "failed", e.GetType().Name, CancellationToken.None);
            throw;
        }
        // The change is made: record it even if the caller has gone away meanwhile.
        await WriteAsync(actor, action, target, "success", details, CancellationToken.None);
        return result;
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(
        string? actor, string? target, DateTime? from, DateTime? to, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateAudit();
        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrEmpty(actor)) query = query.Where(a => a.Actor == actor);
        if (!string.IsNullOrEmpty(target)) query = query.Where(a => a.Target == target);
        if (from is { } f) query = query.Where(a => a.At >= f);
        if (to is { } t) query = query.Where(a => a.At <= t);
        return await query.OrderByDescending(a => a.Id).Skip(Math.Max(0, page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
    }
}
