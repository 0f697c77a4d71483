using System.CommandLine;
using System.Text.Json;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Hosting;

/// <summary>
/// <c>migrate</c>, <c>clients</c>, <c>plans</c> and <c>keys</c>: the key store's administration on the command
/// line, for bootstrap and scripts. <c>--json</c> prints one JSON object. Every change is audited (actor
/// <c>cli:&lt;user&gt;</c>). Exit codes: 0 done, 1 refused (the reason on standard error).
/// </summary>
internal static class KeyStoreCommands
{
    // Terminal output, not HTML: "…" stays readable instead of \u2026.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        KeyStoreService Store() => services.GetRequiredService<KeyStoreService>();

        // For SQLite (the embedded default) commands create and migrate the database themselves, as a host start does.
        async Task Ready(CancellationToken ct)
        {
            if (services.GetRequiredService<IOptions<KeyStoreOptions>>().Value.ShouldMigrateOnStart)
                await services.GetRequiredService<KeyStoreContextFactory>().MigrateAsync(ct);
        }

        var migrate = new Command("migrate", "Apply the key store's (and audit log's) database migrations");
        migrate.SetAction(async (_, ct) => await Guard(async () =>
        {
            await services.GetRequiredService<KeyStoreContextFactory>().MigrateAsync(ct);
            Console.Out.WriteLine("key store migrated");
        }));

        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object" };

        var clientName = new Option<string>("--name") { Description = "Client (partner) name", Required = true };
        var clientPlan = new Option<string?>("--plan") { Description = "Plan name" };
        var clientCreate = new Command("create", "Create a client (partner)") { clientName, clientPlan, jsonOption };
        clientCreate.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            var client = await Store().CreateClientAsync(r.GetValue(clientName)!, r.GetValue(clientPlan), AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { client.Id, client.Name, plan = client.PlanName }, $"client {client.Name} created ({client.Id})");
        }));
        var clientList = new Command("list", "List clients") { jsonOption };
        clientList.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            var clients = await Store().ListClientsAsync(ct);
            Print(r.GetValue(jsonOption), new { clients = clients.Select(c => new { c.Id, c.Name, plan = c.PlanName, c.Disabled }) },
                string.Join(Environment.NewLine, clients.Select(c => $"{c.Name}\t{c.Id}\t{c.PlanName ?? "-"}")));
        }));
        var disableClient = new Argument<string>("name") { Description = "Client name" };
        var clientDisable = new Command("disable", "Disable a client: all its keys are refused") { disableClient, jsonOption };
        clientDisable.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            await Store().DisableClientAsync(r.GetValue(disableClient)!, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { name = r.GetValue(disableClient), disabled = true }, $"client {r.GetValue(disableClient)} disabled");
        }));
        var clients = new Command("clients", "Partners that own API keys") { clientCreate, clientList, clientDisable };

        var planName = new Argument<string>("name") { Description = "Plan name" };
        var rate = new Option<string?>("--rate") { Description = "Rate limit, e.g. 100/1s" };
        var quota = new Option<string?>("--quota") { Description = "Quota, e.g. 100000/1d" };
        var planSet = new Command("set", "Create or change a plan") { planName, rate, quota, jsonOption };
        planSet.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            var rateLimit = Limit(r.GetValue(rate), "--rate");
            var quotaLimit = Limit(r.GetValue(quota), "--quota");
            var plan = await Store().SetPlanAsync(r.GetValue(planName)!, rateLimit, quotaLimit, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { plan.Name, rate = rateLimit?.ToString(), quota = quotaLimit?.ToString() }, $"plan {plan.Name} set");
        }));
        var plans = new Command("plans", "Rate limits and quotas of clients") { planSet };

        var keyClient = new Option<string>("--client") { Description = "Client name", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Space-separated scopes, e.g. \"orders:read payments:write\"", DefaultValueFactory = _ => "" };
        var expires = new Option<DateTime?>("--expires") { Description = "Expiry (UTC date or date-time)" };
        var keyName = new Option<string?>("--key-name") { Description = "A label for the key" };
        var createClient = new Option<bool>("--create-client") { Description = "Create the client first when it does not exist (one command for a new partner)" };
        var keyCreate = new Command("create", "Create an API key; the key is shown once") { keyClient, scopes, expires, keyName, createClient, jsonOption };
        keyCreate.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            if (r.GetValue(createClient) && !(await Store().ListClientsAsync(ct)).Any(c => c.Name == r.GetValue(keyClient)))
                await Store().CreateClientAsync(r.GetValue(keyClient)!, null, AuditActor.Cli(), ct);
            var expiry = r.GetValue(expires) is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null;
            var created = await Store().CreateKeyAsync(r.GetValue(keyClient)!, KeyStoreService.SplitScopes(r.GetValue(scopes) ?? ""), expiry, r.GetValue(keyName), AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), created, $"{created.Key}{Environment.NewLine}(id {created.Id}; shown once: store it now)");
        }));

        var listClient = new Option<string?>("--client") { Description = "Only this client's keys" };
        var keyList = new Command("list", "List keys (never the key itself)") { listClient, jsonOption };
        keyList.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            var keys = await Store().ListKeysAsync(r.GetValue(listClient), ct);
            Print(r.GetValue(jsonOption), new { keys },
                string.Join(Environment.NewLine, keys.Select(k => $"{k.Id}\t{k.Client}\t{k.Display}\t{k.Status}\t{string.Join(' ', k.Scopes)}")));
        }));

        var keyId = new Argument<string>("id") { Description = "Key id" };
        var keyRevoke = new Command("revoke", "Revoke a key at once, on every replica") { keyId, jsonOption };
        keyRevoke.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            await Store().RevokeKeyAsync(r.GetValue(keyId)!, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { id = r.GetValue(keyId), revoked = true }, $"key {r.GetValue(keyId)} revoked");
        }));

        var grace = new Option<string?>("--grace") { Description = "How long the old key keeps working, e.g. 24h (default 24h)" };
        var rotateId = new Argument<string>("id") { Description = "Key id" };
        var keyRotate = new Command("rotate", "Issue a new key; the old one works for the grace period") { rotateId, grace, jsonOption };
        keyRotate.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            TimeSpan? overlap = null;
            if (r.GetValue(grace) is { } text)
            {
                if (!Durations.TryParse(text, out var parsed)) throw new KeyStoreException("--grace is a duration such as 24h or 30m.", 400);
                overlap = parsed;
            }
            var created = await Store().RotateKeyAsync(r.GetValue(rotateId)!, overlap, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), created, $"{created.Key}{Environment.NewLine}(id {created.Id}; replaces {created.ReplacedId}; shown once: store it now)");
        }));
        var keys = new Command("keys", "API keys") { keyCreate, keyList, keyRevoke, keyRotate };

        UserService Users() => services.GetRequiredService<UserService>();
        var username = new Option<string>("--username") { Description = "User name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var roles = new Option<string?>("--roles") { Description = "Comma-separated roles, e.g. admin,support" };
        var claim = new Option<string[]>("--claim") { Description = "A claim the gateway asserts for the user, type=value (repeatable), e.g. customer_id=1", AllowMultipleArgumentsPerToken = false };
        var userCreate = new Command("create", "Create a user of the web and mobile BFFs") { username, passwordStdin, roles, claim, jsonOption };
        userCreate.SetAction(async (r, ct) => await Guard(async () =>
        {
            if (!r.GetValue(passwordStdin)) throw new KeyStoreException("Pass the password on standard input with --password-stdin (never as an argument: it would show in the process list and shell history).", 400);
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
            await Ready(ct);
            var roleList = (r.GetValue(roles) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var claims = UserClaims.FromArguments(r.GetValue(claim) ?? []);
            var user = await Users().CreateAsync(r.GetValue(username)!, password, roleList, claims, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { user.Id, user.Username, roles = roleList, claims }, $"user {user.Username} created ({user.Id})");
        }));
        var userList = new Command("list", "List users") { jsonOption };
        userList.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            var all = await Users().ListAsync(ct);
            Print(r.GetValue(jsonOption), new { users = all.Select(u => new { u.Id, u.Username, roles = u.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), claims = UserClaims.Parse(u.Claims), u.Disabled, u.CreatedAt, u.LastLoginAt }) },
                string.Join(Environment.NewLine, all.Select(u => $"{u.Username}\t{u.Id}\t{u.Roles}\t{(u.Disabled ? "disabled" : "active")}")));
        }));
        var disableName = new Argument<string>("username") { Description = "User name" };
        var userDisable = new Command("disable", "Disable a user (sign-in refused)") { disableName, jsonOption };
        userDisable.SetAction(async (r, ct) => await Guard(async () =>
        {
            await Ready(ct);
            await Users().DisableAsync(r.GetValue(disableName)!, AuditActor.Cli(), ct);
            Print(r.GetValue(jsonOption), new { username = r.GetValue(disableName), disabled = true }, $"user {r.GetValue(disableName)} disabled");
        }));
        var users = new Command("users", "Users of the web and mobile BFFs") { userCreate, userList, userDisable };

        var purgeRegion = new Option<string?>("--region") { Description = "Purge every entry of this region" };
        var purgeRoute = new Option<string?>("--route") { Description = "Purge every entry of this route (its Key)" };
        var cachePurge = new Command("purge", "Purge response cache entries on every replica (needs ConnectionStrings:Redis to reach running hosts)") { purgeRegion, purgeRoute, jsonOption };
        cachePurge.SetAction(async (r, ct) => await Guard(async () =>
        {
            var cache = services.GetRequiredService<Caching.ResponseCache>();
            var (region, route) = (r.GetValue(purgeRegion), r.GetValue(purgeRoute));
            if (region is null == route is null) throw new KeyStoreException("Give exactly one of --region and --route.", 400);
            await Ready(ct);
            if (region is not null) await cache.PurgeRegionAsync(region, ct);
            else await cache.PurgeRouteAsync(route!, ct);
            var target = region is not null ? $"region:{region}" : $"route:{route}";
            await services.GetRequiredService<AuditLog>().WriteAsync(AuditActor.Cli(), "cache.purge", target, "success", null, ct);
            Print(r.GetValue(jsonOption), new { purged = target }, $"purged {target}");
        }));
        var commands = new List<Command> { migrate, clients, plans, keys, users, new Command("cache", "The response cache") { cachePurge } };
        if (services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(Tokens.SigningKeys)))
        {
            var rotateSigning = new Command("rotate", "Roll the JWT signing key over: a new key signs from now on; the old one validates until its last token expires") { jsonOption };
            rotateSigning.SetAction(async (r, ct) => await Guard(async () =>
            {
                await Ready(ct);
                var (kid, activeFrom) = await services.GetRequiredService<Tokens.SigningKeys>().RotateAsync(ct);
                await services.GetRequiredService<AuditLog>().WriteAsync(AuditActor.Cli(), "signing-key.rotate", $"signing-key:{kid}", "success", $"signs from {activeFrom:O}", ct);
                Print(r.GetValue(jsonOption), new { kid, activeFrom }, $"signing key {kid} is published now and signs from {activeFrom:u}");
            }));
            commands.Add(new Command("signing-keys", "The gateway's JWT signing keys") { rotateSigning });
        }
        return commands;
    }

    private static PlanLimit? Limit(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!PlanLimit.TryParse(text, out var limit)) throw new KeyStoreException($"{option} is count/period, e.g. 100/1s or 100000/1d.", 400);
        return limit;
    }

    private static void Print<T>(bool json, T value, string text) =>
        Console.Out.WriteLine(json ? JsonSerializer.Serialize(value, Json) : text);

    private static async Task<int> Guard(Func<Task> action)
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
    }
}
