using Bff.Shared.KeyStore;
using Microsoft.Data.SqlClient;

namespace Bff.Testing;

/// <summary>
/// One test's key-store database on a real server: a SQLite file in a temp folder, a database of its own on the run's
/// PostgreSQL server (<see cref="PostgresServer"/>), or — only when <c>BFFS_TEST_SQLSERVER</c> names a server — a
/// database of its own on that SQL Server. Replicas of one test share it; it is dropped on dispose.
/// </summary>
public sealed class KeyStoreDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "BFFS_TEST_SQLSERVER";

    private readonly Func<Task> _drop;

    private KeyStoreDatabase(KeyStoreProvider provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public KeyStoreProvider Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The providers every key-store fixture runs against: SQLite, PostgreSQL, and SQL Server when configured.</summary>
    public static IEnumerable<KeyStoreProvider> Providers()
    {
        yield return KeyStoreProvider.Sqlite;
        yield return KeyStoreProvider.Postgres;
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SqlServerVariable))) yield return KeyStoreProvider.SqlServer;
    }

    public static async Task<KeyStoreDatabase> CreateAsync(KeyStoreProvider provider, TempFolder? folder = null)
    {
        switch (provider)
        {
            case KeyStoreProvider.Postgres:
                var server = await PostgresServer.SharedAsync();
                var name = await server.CreateDatabaseAsync();
                return new KeyStoreDatabase(provider, server.ConnectionString(name), () => server.DropDatabaseAsync(name));
            case KeyStoreProvider.SqlServer:
                var builder = new SqlConnectionStringBuilder(Environment.GetEnvironmentVariable(SqlServerVariable)) { InitialCatalog = "bffs_" + Guid.NewGuid().ToString("N") };
                TestRunLog.Secret(builder.Password, "SQL Server password");
                return new KeyStoreDatabase(provider, builder.ConnectionString, () => DropSqlServerAsync(builder));
            default:
                var data = folder ?? new TempFolder();
                return new KeyStoreDatabase(provider, $"Data Source={Path.Combine(data.Path, "keystore.db")};Pooling=False",
                    () => { if (folder is null) data.Dispose(); return Task.CompletedTask; });
        }
    }

    /// <summary>The gateway settings that put its key store here (migrated on start, whatever the provider).</summary>
    public Dictionary<string, string?> Settings(string? redis = null) => new()
    {
        ["KeyStore:Provider"] = Provider.ToString(),
        ["KeyStore:MigrateOnStart"] = "true",
        ["ConnectionStrings:KeyStore"] = ConnectionString,
        ["ApiKeys:Pepper"] = GatewayTestHost.TestPepper,
        ["ConnectionStrings:Redis"] = redis,
    };

    /// <summary>Everything the database holds on disk, as text (to prove what is and is not stored).</summary>
    public async Task<string> StoredBytesAsTextAsync()
    {
        IEnumerable<string> files;
        switch (Provider)
        {
            case KeyStoreProvider.Postgres:
                var server = await PostgresServer.SharedAsync();
                await server.CheckpointAsync();
                var data = Path.Combine(server.Folder, "data");
                files = Directory.GetFiles(Path.Combine(data, "base"), "*", SearchOption.AllDirectories)
                    .Concat(Directory.GetFiles(Path.Combine(data, "pg_wal")));
                break;
            case KeyStoreProvider.Sqlite:
                // SQLite may keep recent pages in the WAL file: scan everything that belongs to the database.
                var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
                files = Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*");
                break;
            default:
                // A SQL Server's files are not ours to read: every stored value of every table instead.
                return await SqlServerRowsAsTextAsync();
        }
        var text = new System.Text.StringBuilder();
        foreach (var f in files) text.Append(System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(f)));
        return text.ToString();
    }

    private async Task<string> SqlServerRowsAsTextAsync()
    {
        var text = new System.Text.StringBuilder();
        await using var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "clients", "plans", "api_keys", "client_secrets", "users", "signing_keys", "refresh_tokens", "audit_log" })
        {
            await using var command = new SqlCommand($"SELECT * FROM [{table}]", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++)
                    text.Append(reader.GetValue(i) is byte[] bytes ? System.Text.Encoding.ASCII.GetString(bytes) : reader.GetValue(i).ToString()).Append('\n');
        }
        return text.ToString();
    }

    private static async Task DropSqlServerAsync(SqlConnectionStringBuilder database)
    {
        var master = new SqlConnectionStringBuilder(database.ConnectionString) { InitialCatalog = "master", Pooling = false };
        await using var connection = new SqlConnection(master.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(
            $"IF DB_ID('{database.InitialCatalog}') IS NOT NULL BEGIN ALTER DATABASE [{database.InitialCatalog}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database.InitialCatalog}] END", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await _drop();
}
