using Bff.Testing;
using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Bff.Shared.Tests.KeyStore;

/// <summary>
/// No SQL Server runs on the build machines: the SQL Server side is covered by compiling its migrations and by this
/// check that db/keystore.sqlserver.sql is exactly what the migrations produce, so the committed script cannot drift.
/// </summary>
internal sealed class SqlServerScriptTests
{
    private static string Normalize(string sql) =>
        sql.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\uFEFF', '\n', ' ');

    [Test]
    public void CommittedIdempotentScript_MatchesTheMigrations()
    {
        using var db = new KeyStoreDbContext(KeyStoreContextFactory.Build(KeyStoreProvider.SqlServer, "Server=unused;Database=unused"));
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var committed = File.ReadAllText(Path.Combine(RepoRoot.Path, "db", "keystore.sqlserver.sql"));

        Assert.That(Normalize(committed), Is.EqualTo(Normalize(generated)),
            "regenerate: cd src/KeyStore.SqlServer && dotnet ef migrations script --idempotent -o ../../db/keystore.sqlserver.sql");
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
