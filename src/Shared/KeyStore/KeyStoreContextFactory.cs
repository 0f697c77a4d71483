using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bff.Shared.KeyStore;

/// <summary>Creates contexts for the key store and for the audit log (which may be another database).</summary>
internal sealed class KeyStoreContextFactory(IOptions<KeyStoreOptions> options)
{
    private readonly KeyStoreOptions _options = options.Value;

    public KeyStoreDbContext Create() => new(Build(_options.Provider, _options.ConnectionString));

    public KeyStoreDbContext CreateAudit() => new(Build(_options.Provider, AuditConnectionString));

    /// <summary>Where the key store is, for messages (never a password).</summary>
    public string Describe() => _options.Describe();

    public bool SeparateAuditDatabase => AuditConnectionString != _options.ConnectionString;

    private string AuditConnectionString =>
        string.IsNullOrWhiteSpace(_options.AuditConnectionString) ? _options.ConnectionString : _options.AuditConnectionString;

    public static DbContextOptions<KeyStoreDbContext> Build(KeyStoreProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<KeyStoreDbContext>();
        Configure(builder, provider, connectionString);
        return builder.Options;
    }

    public static void Configure(DbContextOptionsBuilder builder, KeyStoreProvider provider, string connectionString)
    {
        _ = provider switch
        {
            KeyStoreProvider.SqlServer => builder.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(KeyStoreOptions.SqlServerMigrationsAssembly)),
            KeyStoreProvider.Postgres => builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(KeyStoreOptions.PostgresMigrationsAssembly)),
            _ => builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(KeyStoreOptions.SqliteMigrationsAssembly)),
        };
    }

    /// <summary>Applies pending migrations to the key store and, when separate, the audit database.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = Create()) await db.Database.MigrateAsync(cancellationToken);
        if (!SeparateAuditDatabase) return;
        await using var audit = CreateAudit();
        await audit.Database.MigrateAsync(cancellationToken);
    }
}
