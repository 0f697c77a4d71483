using System.CommandLine;
using Bff.Shared.KeyStore;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>clients create|list|disable|secrets</c>: the partners that own API keys and client secrets.</summary>
internal static class ClientCommands
{
    public static readonly BffCommandGroup Group = new("clients", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null;
        var json = CommandContext.JsonOption();
        var name = new Option<string>("--name") { Description = "Client (partner) name", Required = true };
        var plan = new Option<string?>("--plan") { Description = "Plan name" };
        var create = new Command("create", "Create a client (partner)") { name, plan, json };
        create.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var client = await context.Store.CreateClientAsync(r.GetValue(name)!, r.GetValue(plan), AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { client.Id, client.Name, plan = client.PlanName }, $"client {client.Name} created ({client.Id})");
        }));
        var list = new Command("list", "List clients") { json };
        list.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var clients = await context.Store.ListClientsAsync(ct);
            CommandContext.Print(r.GetValue(json), new { clients = clients.Select(c => new { c.Id, c.Name, plan = c.PlanName, c.Disabled }) },
                string.Join(Environment.NewLine, clients.Select(c => $"{c.Name}\t{c.Id}\t{c.PlanName ?? "-"}")));
        }));
        var disableName = new Argument<string>("name") { Description = "Client name" };
        var disable = new Command("disable", "Disable a client: all its keys are refused") { disableName, json };
        disable.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            await context.Store.DisableClientAsync(r.GetValue(disableName)!, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { name = r.GetValue(disableName), disabled = true }, $"client {r.GetValue(disableName)} disabled");
        }));
        return new Command("clients", "Partners that own API keys and client secrets") { create, list, disable, ClientSecretCommands.Create(context) };
    }
}
