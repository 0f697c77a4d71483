using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bffs.KeyStore.SqlServer;

/// <summary>Lets <c>dotnet ef</c> build the model for SQL Server (no server is needed to add a migration or script it).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<KeyStoreDbContext>
{
    public KeyStoreDbContext CreateDbContext(string[] args) =>
        new(KeyStoreContextFactory.Build(KeyStoreProvider.SqlServer, "Server=localhost;Database=Bffs;Trusted_Connection=True;TrustServerCertificate=True"));
}
