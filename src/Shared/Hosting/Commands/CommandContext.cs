using System.CommandLine;
using System.Text.Json;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Hosting.Commands;

/// <summary>
/// What the command groups share: the host's services, the key store (created and migrated first for SQLite, as a
/// host start does), <c>--json</c> output and exit codes — 0 done, 1 refused (the reason on standard error). Every
/// change is audited (actor <c>cli:&lt;user&gt;</c>).
/// </summary>
internal sealed class CommandContext(WebApplication app)
{
    // Terminal output, not HTML: "…" stays readable instead of \u2026.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public WebApplication App => app;

    public IServiceProvider Services => app.Services;

    /// <summary>Whether this host has the key store (every command but <c>validate</c> needs it).</summary>
    public bool HasKeyStore => Has<KeyStoreService>();

    public bool Has<T>() => Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(T));

    public KeyStoreService Store => Services.GetRequiredService<KeyStoreService>();

    public UserService Users => Services.GetRequiredService<UserService>();

    public static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object" };

    /// <summary>For SQLite (the embedded default) commands create and migrate the database themselves.</summary>
    public async Task ReadyAsync(CancellationToken cancellationToken)
    {
        if (Services.GetRequiredService<IOptions<KeyStoreOptions>>().Value.ShouldMigrateOnStart)
            await Services.GetRequiredService<KeyStoreContextFactory>().MigrateAsync(cancellationToken);
    }

    public static void Print<T>(bool json, T value, string text) =>
        Console.Out.WriteLine(json ? JsonSerializer.Serialize(value, Json) : text);

    /// <summary>Runs <paramref name="action"/>: 0, or 1 with the refusal's message on standard error.</summary>
    public async Task<int> Guard(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is KeyStoreException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (System.Data.Common.DbException e)
        {
            // The database refused or cannot be reached: say which one (never its password) and why, without a stack trace.
            await Console.Error.WriteLineAsync(
                $"the key store ({Services.GetRequiredService<KeyStoreContextFactory>().Describe()}) cannot be used: {e.Message.TrimEnd('.')}. " +
                "Check ConnectionStrings:KeyStore (and ConnectionStrings:Audit) and that the database is reachable.");
            return 1;
        }
    }
}
