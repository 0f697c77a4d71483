using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bffs.KeyStore.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the model for PostgreSQL (no server is needed to add a migration or script it).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KeyStoreDbContext>
{
    public KeyStoreDbContext CreateDbContext(string[] args) =>
        new(KeyStoreContextFactory.Build(KeyStoreProvider.Postgres, "Host=localhost;Database=bffs"));
}
