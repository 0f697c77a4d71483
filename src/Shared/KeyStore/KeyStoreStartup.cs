using Microsoft.Extensions.Hosting;

namespace Bff.Shared.KeyStore;

/// <summary>Applies migrations when the host starts (default for SQLite; <c>KeyStore:MigrateOnStart</c>).</summary>
internal sealed class KeyStoreStartup(KeyStoreContextFactory contexts, Microsoft.Extensions.Options.IOptions<KeyStoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ShouldMigrateOnStart) return;
        try
        {
            await contexts.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new Bff.Shared.Hosting.BffStartupException(
                $"the key store ({options.Value.Describe()}) cannot be opened or migrated: {e.Message.TrimEnd('.')}. " +
                "Check ConnectionStrings:KeyStore (and ConnectionStrings:Audit), that the database is reachable and writable, " +
                "or run the 'migrate' command to see the migration that fails.", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
