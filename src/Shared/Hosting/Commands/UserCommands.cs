using System.CommandLine;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>users create|list|disable</c>: users of the web and mobile BFFs (passwords only on standard input).</summary>
internal static class UserCommands
{
    public static readonly BffCommandGroup Group = new("users", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null;
        var json = CommandContext.JsonOption();
        return new Command("users", "Users of the web and mobile BFFs") { CreateUser(context, json), List(context, json), Disable(context, json) };
    }

    private static Command CreateUser(CommandContext context, Option<bool> json)
    {
        var username = new Option<string>("--username") { Description = "User name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var roles = new Option<string?>("--roles") { Description = "Comma-separated roles, e.g. admin,support" };
        var claim = new Option<string[]>("--claim") { Description = "A claim the gateway asserts for the user, type=value (repeatable), e.g. customer_id=1", AllowMultipleArgumentsPerToken = false };
        var create = new Command("create", "Create a user of the web and mobile BFFs") { username, passwordStdin, roles, claim, json };
        create.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            if (!r.GetValue(passwordStdin)) throw new KeyStoreException("Pass the password on standard input with --password-stdin (never as an argument: it would show in the process list and shell history).", 400);
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
            await context.ReadyAsync(ct);
            var roleList = (r.GetValue(roles) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var claims = UserClaims.FromArguments(r.GetValue(claim) ?? []);
            var user = await context.Users.CreateAsync(r.GetValue(username)!, password, roleList, claims, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { user.Id, user.Username, roles = roleList, claims }, $"user {user.Username} created ({user.Id})");
        }));
        return create;
    }

    private static Command List(CommandContext context, Option<bool> json)
    {
        var list = new Command("list", "List users") { json };
        list.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var all = await context.Users.ListAsync(ct);
            CommandContext.Print(r.GetValue(json), new { users = all.Select(u => new { u.Id, u.Username, roles = u.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), claims = UserClaims.Parse(u.Claims), u.Disabled, u.CreatedAt, u.LastLoginAt }) },
                string.Join(Environment.NewLine, all.Select(u => $"{u.Username}\t{u.Id}\t{u.Roles}\t{(u.Disabled ? "disabled" : "active")}")));
        }));
        return list;
    }

    private static Command Disable(CommandContext context, Option<bool> json)
    {
        var name = new Argument<string>("username") { Description = "User name" };
        var disable = new Command("disable", "Disable a user (sign-in refused)") { name, json };
        disable.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            await context.Users.DisableAsync(r.GetValue(name)!, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { username = r.GetValue(name), disabled = true }, $"user {r.GetValue(name)} disabled");
        }));
        return disable;
    }
}
