using Bff.Shared.KeyStore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Users;

/// <summary>
/// Users in the key store (<c>users</c>): passwords hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>,
/// sign-in throttling and lockout (<see cref="SignInThrottle"/>), created and last-login times; every change audited.
/// </summary>
internal sealed class UserService(
    KeyStoreContextFactory contexts, AuditLog audit, IOptions<UserOptions> options, TimeProvider time, IServiceProvider services,
    IPasswordHasher<UserEntity> hasher, SignInThrottle throttle)
{
    private static readonly UserEntity Nobody = new() { Id = "", Username = "", PasswordHash = "" };
    // Checked when the username is unknown or locked, so those cost the same as a wrong password.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));
    private readonly UserOptions _options = options.Value;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<UserEntity> CreateAsync(string username, string password, IReadOnlyList<string> roles, AuditActor actor, CancellationToken cancellationToken = default) =>
        await CreateAsync(username, password, roles, new Dictionary<string, string>(), actor, cancellationToken);

    public async Task<UserEntity> CreateAsync(string username, string password, IReadOnlyList<string> roles, IReadOnlyDictionary<string, string> claims, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var claimsJson = UserClaims.Serialize(claims);
        await using var db = contexts.Create();
        return await Audited(actor, "user.create", $"user:{username}", async () =>
        {
            if (string.IsNullOrWhiteSpace(username) || username.Length > 100) throw new KeyStoreException("A username is 1 to 100 characters.", 400);
            if (password.Length < _options.MinimumPasswordLength) throw new KeyStoreException($"A password has at least {_options.MinimumPasswordLength} characters.", 400);
            if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken)) throw new KeyStoreException($"A user named '{username}' exists already.", 409);
            var user = new UserEntity { Id = "usr_" + Guid.NewGuid().ToString("N")[..16], Username = username, PasswordHash = "", Roles = string.Join(',', roles), Claims = claimsJson, CreatedAt = Now };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken);
            return user;
        }, Details(roles, claims), cancellationToken);
    }

    public async Task<IReadOnlyList<UserEntity>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        return await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(cancellationToken);
    }

    public async Task DisableAsync(string username, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        await Audited(actor, "user.disable", $"user:{username}", async () =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken) ?? throw new KeyStoreException($"No user '{username}'.", 404);
            user.Disabled = true;
            await db.SaveChangesAsync(cancellationToken);
            // Signed out everywhere: refresh token families at once; web sessions here at once and in other
            // processes at their next check (they re-read the user at most every 30 s).
            var now = Now;
            await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), CancellationToken.None);
            if (services.GetService(typeof(Sessions.SessionService)) is Sessions.SessionService sessions)
                await sessions.RevokeAllAsync(user.Id, CancellationToken.None);
            return user;
        }, null, cancellationToken);
    }

    /// <summary>
    /// Checks a password. Every check first takes one of the username's <see cref="UserOptions.MaxFailedLogins"/>
    /// slots from <see cref="SignInThrottle"/>, atomically, so a burst of concurrent guesses gets no more checks than
    /// that and the next attempts are locked out; a success frees the slots. An unknown username takes a slot and
    /// costs a hash like a wrong password, and neither writes to the database.
    /// </summary>
    public async Task<(LoginResult Result, UserIdentity? User)> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var slot = await throttle.TakeCheckAsync(username, cancellationToken);
        if (!slot.Allowed)
        {
            hasher.VerifyHashedPassword(Nobody, _dummyHash.Value, password);
            return (LoginResult.LockedOut, null);
        }
        await using var db = contexts.Create();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        var verified = PasswordVerificationResult.Failed;
        if (user is null) hasher.VerifyHashedPassword(Nobody, _dummyHash.Value, password);
        else verified = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user is null || verified == PasswordVerificationResult.Failed)
        {
            // The last slot went to a wrong guess: locked now, for known and unknown usernames alike.
            if (slot.Last)
                await audit.WriteAsync(new AuditActor("system"), "user.lockout", $"user:{Truncate(username)}", "success", $"for {_options.LockoutDuration}", CancellationToken.None);
            return (LoginResult.InvalidCredentials, null);
        }
        if (user.Disabled) return (LoginResult.Disabled, null);
        await throttle.ForgetFailuresAsync(username);
        user.FailedLogins = 0;
        user.LockoutEnd = null;
        user.LastLoginAt = Now;
        if (verified == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        await db.SaveChangesAsync(cancellationToken);
        return (LoginResult.Success, ToIdentity(user));
    }

    private static string Truncate(string username) => username.Length > 100 ? username[..100] : username;

    /// <summary>The current state of a user (sessions and refresh check it: a disabled user is signed out).</summary>
    public async Task<UserIdentity?> FindActiveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.Create();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null || user.Disabled ? null : ToIdentity(user);
    }

    private static UserIdentity ToIdentity(UserEntity user) =>
        new(user.Id, user.Username, user.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), UserClaims.Parse(user.Claims));

    private static string? Details(IReadOnlyList<string> roles, IReadOnlyDictionary<string, string> claims)
    {
        var parts = new List<string>();
        if (roles.Count > 0) parts.Add($"roles={string.Join(',', roles)}");
        if (claims.Count > 0) parts.Add($"claims={string.Join(',', claims.Keys)}");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private Task<T> Audited<T>(AuditActor actor, string action, string target, Func<Task<T>> operation, string? details, CancellationToken cancellationToken) =>
        audit.RunAsync(actor, action, target, operation, details, cancellationToken);
}
