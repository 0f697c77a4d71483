using System.CommandLine;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>migrate</c>: applies the key store's (and audit log's) database migrations.</summary>
internal static class MigrateCommand
{
    public static readonly BffCommandGroup Group = new("migrate", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null;
        var migrate = new Command("migrate", "Apply the key store's (and audit log's) database migrations");
        migrate.SetAction(async (_, ct) => await context.Guard(async () =>
        {
            await context.Services.GetRequiredService<KeyStoreContextFactory>().MigrateAsync(ct);
            Console.Out.WriteLine("key store migrated");
        }));
        return migrate;
    }
}
