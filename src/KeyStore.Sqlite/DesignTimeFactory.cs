using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bffs.KeyStore.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model for SQLite (no database is touched to add a migration).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KeyStoreDbContext>
{
    public KeyStoreDbContext CreateDbContext(string[] args) =>
        new(KeyStoreContextFactory.Build(KeyStoreProvider.Sqlite, "Data Source=design-time.db"));
}
