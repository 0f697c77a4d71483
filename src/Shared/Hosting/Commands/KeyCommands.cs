using System.CommandLine;
using Bff.Shared.KeyStore;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>keys create|list|revoke|rotate</c>: API keys (a key is shown once, at creation or rotation).</summary>
internal static class KeyCommands
{
    public static readonly BffCommandGroup Group = new("keys", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null;
        var json = CommandContext.JsonOption();
        return new Command("keys", "API keys") { CreateKey(context, json), List(context, json), Revoke(context, json), Rotate(context, json) };
    }

    private static Command CreateKey(CommandContext context, Option<bool> json)
    {
        var client = new Option<string>("--client") { Description = "Client name", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Space-separated scopes, e.g. \"orders:read payments:write\"", DefaultValueFactory = _ => "" };
        var expires = new Option<DateTime?>("--expires") { Description = "Expiry (UTC date or date-time)" };
        var name = new Option<string?>("--key-name") { Description = "A label for the key" };
        var createClient = new Option<bool>("--create-client") { Description = "Create the client first when it does not exist (one command for a new partner)" };
        var create = new Command("create", "Create an API key; the key is shown once") { client, scopes, expires, name, createClient, json };
        create.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            if (r.GetValue(createClient) && !(await context.Store.ListClientsAsync(ct)).Any(c => c.Name == r.GetValue(client)))
                await context.Store.CreateClientAsync(r.GetValue(client)!, null, AuditActor.Cli(), ct);
            var expiry = r.GetValue(expires) is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null;
            var created = await context.Store.CreateKeyAsync(r.GetValue(client)!, KeyStoreService.SplitScopes(r.GetValue(scopes) ?? ""), expiry, r.GetValue(name), AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), created, $"{created.Key}{Environment.NewLine}(id {created.Id}; shown once: store it now)");
        }));
        return create;
    }

    private static Command List(CommandContext context, Option<bool> json)
    {
        var client = new Option<string?>("--client") { Description = "Only this client's keys" };
        var list = new Command("list", "List keys (never the key itself)") { client, json };
        list.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var keys = await context.Store.ListKeysAsync(r.GetValue(client), ct);
            CommandContext.Print(r.GetValue(json), new { keys },
                string.Join(Environment.NewLine, keys.Select(k => $"{k.Id}\t{k.Client}\t{k.Display}\t{k.Status}\t{string.Join(' ', k.Scopes)}")));
        }));
        return list;
    }

    private static Command Revoke(CommandContext context, Option<bool> json)
    {
        var id = new Argument<string>("id") { Description = "Key id" };
        var revoke = new Command("revoke", "Revoke a key at once, on every replica") { id, json };
        revoke.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            await context.Store.RevokeKeyAsync(r.GetValue(id)!, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { id = r.GetValue(id), revoked = true }, $"key {r.GetValue(id)} revoked");
        }));
        return revoke;
    }

    private static Command Rotate(CommandContext context, Option<bool> json)
    {
        var grace = new Option<string?>("--grace") { Description = "How long the old key keeps working, e.g. 24h (default 24h)" };
        var id = new Argument<string>("id") { Description = "Key id" };
        var rotate = new Command("rotate", "Issue a new key; the old one works for the grace period") { id, grace, json };
        rotate.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            TimeSpan? overlap = null;
            if (r.GetValue(grace) is { } text)
            {
                if (!Durations.TryParse(text, out var parsed)) throw new KeyStoreException("--grace is a duration such as 24h or 30m.", 400);
                overlap = parsed;
            }
            var created = await context.Store.RotateKeyAsync(r.GetValue(id)!, overlap, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), created, $"{created.Key}{Environment.NewLine}(id {created.Id}; replaces {created.ReplacedId}; shown once: store it now)");
        }));
        return rotate;
    }
}
