using System.Security.Cryptography;
using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tokens;

/// <summary>
/// The gateway's JWT signing keys (ES256). Generated once and kept in the key store (private part encrypted), or
/// taken from <c>Jwt:SigningKey</c>. Rollover: a new key signs at once; the previous one keeps validating (and stays in
/// the JWKS) until every token it signed has expired.
/// </summary>
internal sealed class SigningKeys(KeyStoreContextFactory contexts, KeyProtector protector, IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly TokenOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset LoadedAt, IReadOnlyList<(string Id, ECDsa Key, DateTime? RetiresAt, DateTime ActiveFrom)> Keys)? _cache;
    private Task? _refreshing;
    // One SecurityKey object per key id for the life of the host: the token library caches its signature providers
    // per key object, so a fresh ECDsaSecurityKey for every validation set up a new verifier every time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ECDsaSecurityKey> _securityKeys = new(StringComparer.Ordinal);

    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    /// <summary>The key new tokens are signed with.</summary>
    public async Task<SigningCredentials> SigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var keys = await KeysAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        // The newest key that is active (a rotated-in key is published for a while before it signs).
        var (id, key, _, _) = keys.Where(k => k.ActiveFrom <= now).OrderByDescending(k => k.ActiveFrom).FirstOrDefault();
        if (key is null) (id, key, _, _) = keys.OrderBy(k => k.ActiveFrom).First();
        return new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = id }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>Every key a token may still be signed with.</summary>
    public IEnumerable<SecurityKey> ValidationKeys()
    {
        // Called synchronously by token validation: serve the loaded keys and refresh them in the background
        // (the host loads them at start, so the blocking load below only happens if that was skipped).
        if (_cache is not { } cached) return Select(KeysAsync(CancellationToken.None).GetAwaiter().GetResult());
        if (time.GetUtcNow() - cached.LoadedAt >= Refresh && _refreshing is null or { IsCompleted: true })
            _refreshing = KeysAsync(CancellationToken.None); // one refresh in flight at a time
        return Select(cached.Keys);
    }

    private IEnumerable<SecurityKey> Select(IReadOnlyList<(string Id, ECDsa Key, DateTime? RetiresAt, DateTime ActiveFrom)> keys) =>
        keys.Where(k => k.RetiresAt is null || k.RetiresAt > time.GetUtcNow().UtcDateTime)
            .Select(k => _securityKeys.GetOrAdd(k.Id, static (id, key) => new ECDsaSecurityKey(key) { KeyId = id }, k.Key));

    /// <summary>Loads the keys (at host start).</summary>
    public Task WarmAsync(CancellationToken cancellationToken) => KeysAsync(cancellationToken);

    /// <summary>The public keys as a JWKS document.</summary>
    public async Task<object> JwksAsync(CancellationToken cancellationToken)
    {
        await KeysAsync(cancellationToken);
        return new
        {
            keys = ValidationKeys().Cast<ECDsaSecurityKey>().Select(k =>
            {
                var p = k.ECDsa.ExportParameters(includePrivateParameters: false);
                return new { kty = "EC", use = "sig", alg = "ES256", crv = "P-256", kid = k.KeyId, x = Base64UrlEncoder.Encode(p.Q.X), y = Base64UrlEncoder.Encode(p.Q.Y) };
            }).ToArray(),
        };
    }

    /// <summary>Rollover: a new key signs from now on; the others retire once their last token has expired.</summary>
    public async Task<(string Id, DateTime ActiveFrom)> RotateAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.SigningKey))
            throw new KeyStoreException("Jwt:SigningKey is set: roll that key over in configuration.", 409);
        await using var db = contexts.Create();
        var activeFrom = time.GetUtcNow().UtcDateTime + _options.SigningKeyActivationDelay;
        foreach (var old in await db.SigningKeys.Where(k => k.RetiresAt == null).ToListAsync(cancellationToken))
            old.RetiresAt = activeFrom + _options.AccessTokenLifetime + TimeSpan.FromMinutes(1);
        var created = NewKey(activeFrom);
        db.SigningKeys.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        _cache = null;
        await KeysAsync(cancellationToken); // reload now, so token validation never has to wait for it
        return (created.Id, activeFrom);
    }

    private async Task<IReadOnlyList<(string Id, ECDsa Key, DateTime? RetiresAt, DateTime ActiveFrom)>> KeysAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cached && time.GetUtcNow() - cached.LoadedAt < Refresh) return cached.Keys;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } again && time.GetUtcNow() - again.LoadedAt < Refresh) return again.Keys;
            var keys = new List<(string, ECDsa, DateTime?, DateTime)>();
            if (!string.IsNullOrWhiteSpace(_options.SigningKey))
            {
                var configured = ECDsa.Create();
                configured.ImportFromPem(_options.SigningKey);
                keys.Add((Base64UrlEncoder.Encode(SHA256.HashData(configured.ExportSubjectPublicKeyInfo()))[..16], configured, null, DateTime.MinValue));
            }
            else
            {
                await using var db = contexts.Create();
                var now = time.GetUtcNow().UtcDateTime;
                var stored = await db.SigningKeys.AsNoTracking().Where(k => k.RetiresAt == null || k.RetiresAt > now)
                    .OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
                if (stored.Count == 0)
                {
                    // First start: make one. Two replicas racing both succeed; both keys are published, the newest signs.
                    var created = NewKey(now);
                    db.SigningKeys.Add(created);
                    await db.SaveChangesAsync(cancellationToken);
                    stored = [created];
                }
                foreach (var key in stored)
                {
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportPkcs8PrivateKey(Unprotect(key), out _);
                    keys.Add((key.Id, ecdsa, key.RetiresAt, key.CreatedAt));
                }
            }
            _cache = (time.GetUtcNow(), keys);
            // Keys that left the store (deleted) leave memory too.
            foreach (var id in _securityKeys.Keys)
            {
                if (!keys.Any(k => k.Item1 == id)) _securityKeys.TryRemove(id, out _);
            }
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private byte[] Unprotect(SigningKeyEntity key)
    {
        try
        {
            return protector.Unprotect(key.ProtectedPrivateKey);
        }
        catch (CryptographicException e)
        {
            throw new Bff.Shared.Hosting.BffStartupException(
                $"the signing key {key.Id} in the key store ({contexts.Describe()}) cannot be decrypted with the configured ApiKeys:Pepper: " +
                "the pepper differs from the one the key store's keys were made with. Start with the pepper they were made with, " +
                "or point ConnectionStrings:KeyStore at a key store of this pepper (a new SQLite file is created and migrated on start).", e);
        }
    }

    /// <summary>A new key; <paramref name="activeFrom"/> (stored as CreatedAt) is when it starts signing.</summary>
    private SigningKeyEntity NewKey(DateTime activeFrom)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
        return new SigningKeyEntity
        {
            Id = Base64UrlEncoder.Encode(SHA256.HashData(publicKey))[..16],
            Algorithm = "ES256",
            PublicKey = publicKey,
            ProtectedPrivateKey = protector.Protect(ecdsa.ExportPkcs8PrivateKey()),
            CreatedAt = activeFrom,
        };
    }
}
