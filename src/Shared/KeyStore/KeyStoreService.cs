using Bff.Shared.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Shared.KeyStore;

/// <summary>
/// The administrative operations on clients, plans and keys, shared by the admin API and the commands. Every change
/// is audited (success and refusal); every key change evicts the key from the lookup cache on every replica.
/// </summary>
internal sealed partial class KeyStoreService(
    KeyStoreContextFactory contexts, AuditLog audit, ApiKeyCache cache, IOptions<ApiKeyOptions> options,
    IHostEnvironment environment, TimeProvider time)
{
    private readonly ApiKeyOptions _options = options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The longest overlap a rotation may grant (anchors: Stripe-style "roll" with an expiry, at most days).</summary>
    public static readonly TimeSpan MaxRotationGrace = TimeSpan.FromDays(7);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9:._*/-]{1,100}$")]
    private static partial System.Text.RegularExpressions.Regex ScopePattern();

    public string KeyEnvironment => _options.Environment ?? (environment.IsDevelopment() ? "test" : "live");

    public async Task<ClientEntity> CreateClientAsync(string name, string? plan, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await Audited(actor, "client.create", $"client:{name}", async () =>
        {
            if (string.IsNullOrWhiteSpace(name)) throw new KeyStoreException("A client needs a name.", 400);
            if (await db.Clients.AnyAsync(c => c.Name == name, cancellationToken)) throw new KeyStoreException($"A client named '{name}' exists already.", 409);
            if (plan is not null && !await db.Plans.AnyAsync(p => p.Name == plan, cancellationToken)) throw new KeyStoreException($"No plan named '{plan}'.", 404);
            var client = new ClientEntity { Id = "cl_" + Guid.NewGuid().ToString("N")[..16], Name = name, PlanName = plan, CreatedAt = Now };
            db.Clients.Add(client);
            await db.SaveChangesAsync(cancellationToken);
            return client;
        }, plan is null ? null : $"plan={plan}", cancellationToken);
    }

    /// <summary>Disables a client: every key of it is refused at once, on every replica.</summary>
    public async Task DisableClientAsync(string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        await Audited(actor, "client.disable", $"client:{name}", async () =>
        {
            var client = await db.Clients.FirstOrDefaultAsync(c => c.Name == name, cancellationToken) ?? throw new KeyStoreException($"No client named '{name}'.", 404);
            client.Disabled = true;
            await db.SaveChangesAsync(cancellationToken);
            foreach (var id in await db.ApiKeys.Where(k => k.ClientId == client.Id).Select(k => k.Id).ToListAsync(CancellationToken.None))
                await cache.PublishAsync(id, CancellationToken.None);
            return client;
        }, null, cancellationToken);
    }

    public async Task<IReadOnlyList<ClientEntity>> ListClientsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await db.Clients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }

    public async Task<PlanEntity> SetPlanAsync(string name, PlanLimit? rate, PlanLimit? quota, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await Audited(actor, "plan.set", $"plan:{name}", async () =>
        {
            if (string.IsNullOrWhiteSpace(name)) throw new KeyStoreException("A plan needs a name.", 400);
            var plan = await db.Plans.FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
            if (plan is null) db.Plans.Add(plan = new PlanEntity { Name = name });
            plan.RateLimit = rate?.Count;
            plan.RatePeriod = rate?.Period;
            plan.QuotaLimit = quota?.Count;
            plan.QuotaPeriod = quota?.Period;
            plan.UpdatedAt = Now;
            await db.SaveChangesAsync(cancellationToken);
            return plan;
        }, $"rate={rate?.ToString() ?? "none"} quota={quota?.ToString() ?? "none"}", cancellationToken);
    }

    public async Task<IReadOnlyList<PlanEntity>> ListPlansAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await db.Plans.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
    }

    public async Task<CreatedKey> CreateKeyAsync(string clientName, IReadOnlyList<string> scopes, DateTime? expiresAt, string? name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await Audited(actor, "key.create", $"client:{clientName}", async () =>
        {
            var client = await db.Clients.FirstOrDefaultAsync(c => c.Name == clientName, cancellationToken)
                ?? throw new KeyStoreException($"No client named '{clientName}'.", 404);
            if (expiresAt <= Now) throw new KeyStoreException("The expiry is in the past.", 400);
            CheckScopes(scopes);
            var created = NewKey(client, scopes, expiresAt, name, rotatedFrom: null);
            db.ApiKeys.Add(created.Entity);
            await db.SaveChangesAsync(cancellationToken);
            // Committed: finish even if the caller goes away, or the cache would disagree with the database.
            await cache.ForgetAsync(created.Entity.Id, CancellationToken.None);
            return created.Shown;
        }, $"scopes={string.Join(' ', scopes)}", cancellationToken);
    }

    public async Task<IReadOnlyList<KeyView>> ListKeysAsync(string? clientName, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        var query = from key in db.ApiKeys.AsNoTracking()
                    join client in db.Clients.AsNoTracking() on key.ClientId equals client.Id
                    where clientName == null || client.Name == clientName
                    orderby key.CreatedAt
                    select new { key, client.Name };
        var now = Now;
        return [.. (await query.ToListAsync(cancellationToken)).Select(r => new KeyView(
            r.key.Id, r.Name, $"{ApiKeyCodec.Prefix}{r.key.Environment}_{r.key.Id}…{r.key.Last4}", SplitScopes(r.key.Scopes), r.key.Name,
            r.key.CreatedAt, r.key.ExpiresAt, r.key.RevokedAt, r.key.LastUsedAt,
            StatusOf(r.key.RevokedAt, r.key.ExpiresAt, now)))];
    }

    public async Task RevokeKeyAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        await Audited(actor, "key.revoke", $"key:{id}", async () =>
        {
            var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw new KeyStoreException($"No key '{id}'.", 404);
            key.RevokedAt ??= Now;
            await db.SaveChangesAsync(cancellationToken);
            await cache.PublishAsync(id, CancellationToken.None);
            return key;
        }, null, cancellationToken);
    }

    /// <summary>A new key with the same client and scopes; the old one keeps working for <paramref name="grace"/>.</summary>
    public async Task<CreatedKey> RotateKeyAsync(string id, TimeSpan? grace, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await Audited(actor, "key.rotate", $"key:{id}", async () =>
        {
            var old = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw new KeyStoreException($"No key '{id}'.", 404);
            if (old.RevokedAt is not null || old.ExpiresAt <= Now) throw new KeyStoreException($"Key '{id}' is no longer active.", 409);
            var client = await db.Clients.FirstAsync(c => c.Id == old.ClientId, cancellationToken);
            if (grace < TimeSpan.Zero || grace > MaxRotationGrace) throw new KeyStoreException("The grace period is between 0 and 7 days.", 400);
            var overlapEnd = Now + (grace ?? _options.RotationGrace);
            var created = NewKey(client, SplitScopes(old.Scopes), old.ExpiresAt, old.Name, rotatedFrom: old.Id);
            if (old.ExpiresAt is null || old.ExpiresAt > overlapEnd) old.ExpiresAt = overlapEnd;
            db.ApiKeys.Add(created.Entity);
            await db.SaveChangesAsync(cancellationToken);
            await cache.PublishAsync(old.Id, CancellationToken.None);
            await cache.ForgetAsync(created.Entity.Id, CancellationToken.None);
            return created.Shown with { ReplacedId = old.Id };
        }, $"grace={grace ?? _options.RotationGrace}", cancellationToken);
    }

    private (ApiKeyEntity Entity, CreatedKey Shown) NewKey(ClientEntity client, IReadOnlyList<string> scopes, DateTime? expiresAt, string? name, string? rotatedFrom)
    {
        var (key, id) = ApiKeyCodec.Generate(KeyEnvironment);
        var entity = new ApiKeyEntity
        {
            Id = id,
            ClientId = client.Id,
            Environment = KeyEnvironment,
            Hash = ApiKeyCodec.Hash(key, _options.PepperBytes),
            Last4 = key[^4..],
            Scopes = string.Join(' ', scopes),
            Name = name,
            CreatedAt = Now,
            ExpiresAt = expiresAt,
            RotatedFromId = rotatedFrom,
        };
        return (entity, new CreatedKey(id, key, client.Name, scopes, expiresAt));
    }

    /// <summary>What a list shows of a key or secret: revoked, expired or active.</summary>
    public static string StatusOf(DateTime? revokedAt, DateTime? expiresAt, DateTime now) =>
        revokedAt is not null ? "revoked" : expiresAt <= now ? "expired" : "active";

    /// <summary>Every scope is letters, digits and : . _ - * /, at most 100 characters (else 400).</summary>
    public static void CheckScopes(IReadOnlyList<string> scopes)
    {
        if (scopes.FirstOrDefault(s => !ScopePattern().IsMatch(s)) is { } bad)
            throw new KeyStoreException($"'{bad}' is not a scope (letters, digits and : . _ - * /, at most 100 characters).", 400);
    }

    public static IReadOnlyList<string> SplitScopes(string scopes) =>
        scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private Task<T> Audited<T>(AuditActor actor, string action, string target, Func<Task<T>> operation, string? details, CancellationToken cancellationToken) =>
        audit.RunAsync(actor, action, target, operation, details, cancellationToken);
}
