namespace Bff.Shared.KeyStore;

/// <summary>Key store settings: <c>KeyStore:Provider</c>, <c>KeyStore:MigrateOnStart</c>,
/// <c>ConnectionStrings:KeyStore</c>, <c>ConnectionStrings:Audit</c>.</summary>
public sealed class KeyStoreOptions
{
    public const string SectionName = "KeyStore";

    public KeyStoreProvider Provider { get; set; } = KeyStoreProvider.Sqlite;

    /// <summary>Apply migrations when the host starts (default: only for SQLite).</summary>
    public bool? MigrateOnStart { get; set; }

    public string ConnectionString { get; set; } = "";
    public string AuditConnectionString { get; set; } = "";

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == KeyStoreProvider.Sqlite;

    /// <summary>
    /// The quick start's SQLite file, shared by the three hosts of one user on one machine and one file per
    /// environment (<c>keystore.db</c> for Production, <c>keystore.development.db</c> for Development, …): the app
    /// host's Development hosts and a Production experiment never share key material made under different peppers.
    /// </summary>
    public static string DefaultSqliteConnectionString(string environmentName)
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "bffs");
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, DefaultSqliteFileName(environmentName))}";
    }

    internal static string DefaultSqliteFileName(string environmentName) =>
        string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase) || environmentName.Length == 0
            ? "keystore.db"
            : $"keystore.{string.Concat(environmentName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit))}.db";

    /// <summary>Where the key store is, for messages: the SQLite file, or the server and database (never a password).</summary>
    internal string Describe() => Describe(Provider, ConnectionString);

    internal static string Describe(KeyStoreProvider provider, string connectionString)
    {
        try
        {
            if (provider == KeyStoreProvider.Sqlite)
                return $"SQLite file {Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource)}";
            if (provider == KeyStoreProvider.Postgres)
            {
                var pg = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                return $"PostgreSQL {pg.Host}:{pg.Port}, database {pg.Database ?? "(default)"}";
            }
            var sql = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString);
            return $"SQL Server {sql.DataSource}, database {(sql.InitialCatalog.Length > 0 ? sql.InitialCatalog : "(default)")}";
        }
        catch (ArgumentException)
        {
            return $"{provider} (ConnectionStrings:KeyStore cannot be parsed)";
        }
    }

    public const string SqliteMigrationsAssembly = "Bffs.KeyStore.Sqlite";
    public const string SqlServerMigrationsAssembly = "Bffs.KeyStore.SqlServer";
    public const string PostgresMigrationsAssembly = "Bffs.KeyStore.Postgres";
}
