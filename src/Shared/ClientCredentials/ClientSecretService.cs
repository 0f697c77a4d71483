using System.Security.Cryptography;
using Bff.Shared.ApiKeys;
using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bff.Shared.ClientCredentials;

/// <summary>
/// Partners' OAuth client secrets in the key store: created (shown once), listed, revoked — each audited — and
/// verified for the token endpoint. Stored as the HMAC of the secret under the API keys' pepper, compared in constant
/// time; a secret names its own id, so it is found without scanning.
/// </summary>
internal sealed class ClientSecretService(KeyStoreContextFactory contexts, AuditLog audit, KeyStoreService store, IOptions<ApiKeyOptions> options, TimeProvider time)
{
    private static readonly byte[] Dummy = new byte[32];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public sealed record Created(string Id, string Secret, string ClientId, string Client, IReadOnlyList<string> Scopes, DateTime? ExpiresAt);

    public sealed record View(string Id, string Client, string Shown, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt,
        DateTime? RevokedAt, DateTime? LastUsedAt, string Status);

    /// <summary>A verified secret: the client and what its tokens may carry.</summary>
    public sealed record Verified(string SecretId, string ClientId, string ClientName, string? Plan, IReadOnlyList<string> Scopes);

    public async Task<Created> CreateAsync(string clientName, IReadOnlyList<string> scopes, DateTime? expiresAt, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await audit.RunAsync(actor, "client.secret.create", $"client:{clientName}", async () =>
        {
            var client = await db.Clients.FirstOrDefaultAsync(c => c.Name == clientName, cancellationToken)
                ?? throw new KeyStoreException($"No client named '{clientName}'.", 404);
            if (expiresAt <= Now) throw new KeyStoreException("The expiry is in the past.", 400);
            KeyStoreService.CheckScopes(scopes);
            var (secret, id) = ApiKeyCodec.Generate(store.KeyEnvironment, ClientCredentialsDefaults.SecretPrefix);
            db.ClientSecrets.Add(new ClientSecretEntity
            {
                Id = id, ClientId = client.Id, Hash = ApiKeyCodec.Hash(secret, options.Value.PepperBytes), Last4 = secret[^4..],
                Scopes = string.Join(' ', scopes), CreatedAt = Now, ExpiresAt = expiresAt,
            });
            await db.SaveChangesAsync(cancellationToken);
            return new Created(id, secret, client.Id, client.Name, scopes, expiresAt);
        }, $"scopes={string.Join(' ', scopes)}", cancellationToken);
    }

    public async Task<IReadOnlyList<View>> ListAsync(string? clientName, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        var rows = await (from secret in db.ClientSecrets.AsNoTracking()
                          join client in db.Clients.AsNoTracking() on secret.ClientId equals client.Id
                          where clientName == null || client.Name == clientName
                          orderby secret.CreatedAt
                          select new { secret, client.Name }).ToListAsync(cancellationToken);
        var now = Now;
        return [.. rows.Select(r => new View(r.secret.Id, r.Name, $"{ClientCredentialsDefaults.SecretPrefix}…{r.secret.Id}…{r.secret.Last4}",
            KeyStoreService.SplitScopes(r.secret.Scopes), r.secret.CreatedAt, r.secret.ExpiresAt, r.secret.RevokedAt, r.secret.LastUsedAt,
            KeyStoreService.StatusOf(r.secret.RevokedAt, r.secret.ExpiresAt, now)))];
    }

    public async Task RevokeAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        await audit.RunAsync(actor, "client.secret.revoke", $"secret:{id}", async () =>
        {
            var secret = await db.ClientSecrets.FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
                ?? throw new KeyStoreException($"No client secret '{id}'.", 404);
            secret.RevokedAt ??= Now;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, null, cancellationToken);
    }

    /// <summary>The client behind a client_id (its id or name) and secret, or null when they do not match an active
    /// secret of an enabled client. Marks the secret used.</summary>
    public async Task<Verified?> VerifyAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var parsed = ApiKeyCodec.TryParse(secret, ClientCredentialsDefaults.SecretPrefix, out _, out var id);
        await using var db = contexts.Create();
        var row = !parsed ? null : await (from s in db.ClientSecrets.AsNoTracking()
                                          join c in db.Clients.AsNoTracking() on s.ClientId equals c.Id
                                          where s.Id == id
                                          select new { s, c }).FirstOrDefaultAsync(cancellationToken);
        var hash = ApiKeyCodec.Hash(secret, options.Value.PepperBytes);
        var matches = CryptographicOperations.FixedTimeEquals(hash, row?.s.Hash ?? Dummy);
        var now = Now;
        if (row is null || !matches || (row.c.Id != clientId && row.c.Name != clientId) || row.c.Disabled
            || row.s.RevokedAt is not null || row.s.ExpiresAt <= now)
            return null;
        await db.ClientSecrets.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastUsedAt, now), cancellationToken);
        return new Verified(row.s.Id, row.c.Id, row.c.Name, row.c.PlanName, KeyStoreService.SplitScopes(row.s.Scopes));
    }
}
