using Microsoft.EntityFrameworkCore;

namespace Bff.Shared.KeyStore;

/// <summary>
/// The key store: clients, plans, API keys, OAuth client secrets, users and the audit log. One model for SQL Server and PostgreSQL
/// (production) and SQLite (the embedded default); each provider has its own migrations assembly (Bffs.KeyStore.SqlServer, Bffs.KeyStore.Postgres,
/// Bffs.KeyStore.Sqlite).
/// </summary>
internal sealed class KeyStoreDbContext(DbContextOptions<KeyStoreDbContext> options) : DbContext(options)
{
    public DbSet<ClientEntity> Clients => Set<ClientEntity>();
    public DbSet<PlanEntity> Plans => Set<PlanEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();
    public DbSet<RefreshTokenEntity> RefreshTokens => Set<RefreshTokenEntity>();
    public DbSet<ClientSecretEntity> ClientSecrets => Set<ClientSecretEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Times are stored as UTC; say so when they are read back (SQLite keeps no kind).
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    private sealed class UtcConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<PlanEntity>(e =>
        {
            e.ToTable("plans");
            e.HasKey(p => p.Name);
            e.Property(p => p.Name).HasMaxLength(100);
        });
        model.Entity<ClientEntity>(e =>
        {
            e.ToTable("clients");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(40);
            e.Property(c => c.Name).HasMaxLength(200);
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.PlanName).HasMaxLength(100);
            e.HasOne<PlanEntity>().WithMany().HasForeignKey(c => c.PlanName).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<ApiKeyEntity>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(40);
            e.Property(k => k.ClientId).HasMaxLength(40);
            e.Property(k => k.Environment).HasMaxLength(20);
            e.Property(k => k.Hash).HasMaxLength(32);
            e.Property(k => k.Last4).HasMaxLength(4);
            e.Property(k => k.Scopes).HasMaxLength(2000);
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.RotatedFromId).HasMaxLength(40);
            e.HasIndex(k => k.ClientId);
            e.HasOne<ClientEntity>().WithMany().HasForeignKey(k => k.ClientId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ClientSecretEntity>(e =>
        {
            e.ToTable("client_secrets");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(40);
            e.Property(k => k.ClientId).HasMaxLength(40);
            e.Property(k => k.Hash).HasMaxLength(32);
            e.Property(k => k.Last4).HasMaxLength(4);
            e.Property(k => k.Scopes).HasMaxLength(2000);
            e.HasIndex(k => k.ClientId);
            e.HasOne<ClientEntity>().WithMany().HasForeignKey(k => k.ClientId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(40);
            e.Property(u => u.Username).HasMaxLength(100);
            e.HasIndex(u => u.Username).IsUnique();
            e.Property(u => u.PasswordHash).HasMaxLength(400);
            e.Property(u => u.Roles).HasMaxLength(1000);
            e.Property(u => u.Claims).HasMaxLength(4000);
        });
        model.Entity<SigningKeyEntity>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(64);
            e.Property(k => k.Algorithm).HasMaxLength(10);
            e.Property(k => k.PublicKey).HasMaxLength(1000);
            e.Property(k => k.ProtectedPrivateKey).HasMaxLength(2000);
        });
        model.Entity<RefreshTokenEntity>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(64);
            e.Property(t => t.FamilyId).HasMaxLength(40);
            e.Property(t => t.UserId).HasMaxLength(40);
            e.Property(t => t.ProtectedSuccessor).HasMaxLength(200);
            e.HasIndex(t => t.FamilyId);
            e.HasIndex(t => t.UserId);
        });
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(a => a.Id);
            e.Property(a => a.Actor).HasMaxLength(200);
            e.Property(a => a.Action).HasMaxLength(100);
            e.Property(a => a.Target).HasMaxLength(400);
            e.Property(a => a.SourceIp).HasMaxLength(64);
            e.Property(a => a.Outcome).HasMaxLength(40);
            e.Property(a => a.Details).HasMaxLength(4000);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.Actor);
            e.HasIndex(a => a.Target);
        });
    }
}
