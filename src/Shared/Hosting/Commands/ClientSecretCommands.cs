using System.CommandLine;
using Bff.Shared.ClientCredentials;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>clients secrets create|list|revoke</c>: OAuth client secrets of a partner (<c>POST /oauth/token</c>).</summary>
internal static class ClientSecretCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.JsonOption();
        var client = new Argument<string>("client") { Description = "Client (partner) name" };
        var scopes = new Option<string>("--scopes") { Description = "Space-separated scopes its tokens may carry", DefaultValueFactory = _ => "" };
        var expires = new Option<DateTime?>("--expires") { Description = "Expiry (UTC date or date-time)" };
        var create = new Command("create", "Create a client secret; it is shown once") { client, scopes, expires, json };
        create.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var expiry = r.GetValue(expires) is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null;
            var created = await Secrets(context).CreateAsync(r.GetValue(client)!, KeyStoreService.SplitScopes(r.GetValue(scopes) ?? ""), expiry, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json),
                new { id = created.Id, client_id = created.ClientId, client = created.Client, client_secret = created.Secret, scopes = created.Scopes, expiresAt = created.ExpiresAt },
                $"client_id {created.ClientId} ({created.Client})\nclient_secret {created.Secret}\n(shown once: store it now)");
        }));
        var listClient = new Option<string?>("--client") { Description = "Only this client's secrets" };
        var list = new Command("list", "List client secrets (never the secrets themselves)") { listClient, json };
        list.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var secrets = await Secrets(context).ListAsync(r.GetValue(listClient), ct);
            CommandContext.Print(r.GetValue(json), new { secrets },
                string.Join(Environment.NewLine, secrets.Select(s => $"{s.Id}\t{s.Client}\t{s.Status}\t{string.Join(' ', s.Scopes)}")));
        }));
        var id = new Argument<string>("id") { Description = "Secret id" };
        var revoke = new Command("revoke", "Revoke a client secret: no new tokens for it") { id, json };
        revoke.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            await Secrets(context).RevokeAsync(r.GetValue(id)!, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { id = r.GetValue(id), revoked = true }, $"secret {r.GetValue(id)} revoked");
        }));
        return new Command("secrets", "OAuth client secrets (client credentials, POST /oauth/token)") { create, list, revoke };
    }

    private static ClientSecretService Secrets(CommandContext context) => context.Services.GetRequiredService<ClientSecretService>();
}
