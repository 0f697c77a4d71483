namespace Bff.Shared.KeyStore;

/// <summary>The database behind the key store.</summary>
public enum KeyStoreProvider { Sqlite, SqlServer }

/// <summary>Key store settings: <c>KeyStore:Provider</c>, <c>KeyStore:MigrateOnStart</c>,
/// <c>ConnectionStrings:KeyStore</c>, <c>ConnectionStrings:Audit</c>.</summary>
public sealed class KeyStoreOptions
{
    public KeyStoreProvider Provider { get; set; } = KeyStoreProvider.Sqlite;

    /// <summary>Apply migrations when the host starts (default: only for SQLite).</summary>
    public bool? MigrateOnStart { get; set; }

    public string ConnectionString { get; set; } = "";
    public string AuditConnectionString { get; set; } = "";

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == KeyStoreProvider.Sqlite;

    /// <summary>The quick start's SQLite file, shared by the three hosts of one user on one machine.</summary>
    public static string DefaultSqliteConnectionString()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "bffs");
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "keystore.db")}";
    }

    public const string SqliteMigrationsAssembly = "Bffs.KeyStore.Sqlite";
    public const string SqlServerMigrationsAssembly = "Bffs.KeyStore.SqlServer";
}
