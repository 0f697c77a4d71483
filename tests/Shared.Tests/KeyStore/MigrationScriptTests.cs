using Bff.Testing;
using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Bff.Shared.Tests.KeyStore;

/// <summary>
/// The committed idempotent scripts (db/keystore.sqlserver.sql, db/keystore.postgres.sql) are exactly what the
/// migrations produce, so they cannot drift. No SQL Server runs on the build machines: for SQL Server this check and
/// the compiled migrations are all CI has (the key-store suites run against one when BFFS_TEST_SQLSERVER is set).
/// </summary>
internal sealed class MigrationScriptTests
{
    private static string Normalize(string sql) =>
        sql.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\uFEFF', '\n', ' ');

    [TestCase(KeyStoreProvider.SqlServer, "Server=unused;Database=unused", "keystore.sqlserver.sql", "SqlServer")]
    [TestCase(KeyStoreProvider.Postgres, "Host=unused;Database=unused", "keystore.postgres.sql", "Postgres")]
    public void CommittedIdempotentScript_MatchesTheMigrations(KeyStoreProvider provider, string connectionString, string script, string project)
    {
        using var db = new KeyStoreDbContext(KeyStoreContextFactory.Build(provider, connectionString));
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var committed = File.ReadAllText(Path.Combine(RepoRoot.Path, "db", script));

        Assert.That(Normalize(committed), Is.EqualTo(Normalize(generated)),
            $"regenerate: cd src/KeyStore.{project} && dotnet ef migrations script --idempotent -o ../../db/{script}");
    }

    [Test]
    public void Postgres_HasNoPendingModelChanges()
    {
        using var postgres = new KeyStoreDbContext(KeyStoreContextFactory.Build(KeyStoreProvider.Postgres, "Host=unused;Database=unused"));
        Assert.That(postgres.Database.GetMigrations(), Is.Not.Empty);
        Assert.That(postgres.Database.HasPendingModelChanges(), Is.False, "add a Postgres migration");
    }

    [Test]
    public void BothProviders_HaveTheSameMigrations_AndNoPendingModelChanges()
    {
        using var sqlServer = new KeyStoreDbContext(KeyStoreContextFactory.Build(KeyStoreProvider.SqlServer, "Server=unused;Database=unused"));
        using var sqlite = new KeyStoreDbContext(KeyStoreContextFactory.Build(KeyStoreProvider.Sqlite, "Data Source=:memory:"));

        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]);

        Assert.That(Names(sqlServer), Is.EqualTo(Names(sqlite)).And.Not.Empty);
        Assert.That(sqlServer.Database.HasPendingModelChanges(), Is.False, "add a SQL Server migration");
        Assert.That(sqlite.Database.HasPendingModelChanges(), Is.False, "add a SQLite migration");
    }

}
