using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;
using Bff.Shared.KeyStore;

namespace Bff.Hosts.Tests.Partner;

/// <summary>The key store commands, run as real processes of Bff.Partner's build output on a fresh SQLite file and a
/// fresh PostgreSQL database (and SQL Server when BFFS_TEST_SQLSERVER is set).</summary>
[TestFixtureSource(typeof(KeyStoreDatabase), nameof(KeyStoreDatabase.Providers))]
internal sealed class KeyCommandsTests(KeyStoreProvider provider)
{
    private TempFolder _data = null!;
    private KeyStoreDatabase _database = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _data = new TempFolder();
        _database = await KeyStoreDatabase.CreateAsync(provider, _data);
        // What an operator does first for a server database (SQLite alone is migrated on start by default).
        var migrate = await Run("migrate");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Error);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await _database.DisposeAsync();
        _data.Dispose();
    }

    private string[] StoreArguments => [.. _database.Settings().Where(s => s.Value is not null && s.Key != "KeyStore:MigrateOnStart").Select(s => $"--{s.Key}={s.Value}")];

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] args) =>
        HostProcess.RunAsync("Bff.Partner", [.. args, .. StoreArguments]);

    [Test]
    public async Task Bootstrap_CreateListRotateRevoke()
    {
        Assert.That((await Run("plans", "set", "gold", "--rate", "100/1s", "--quota", "100000/1d")).ExitCode, Is.Zero);
        Assert.That((await Run("clients", "create", "--name", "acme", "--plan", "gold")).ExitCode, Is.Zero);

        // A date relative to the real now: a literal one would make the key "expired" in the list below one day.
        var expires = DateTime.UtcNow.AddYears(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (exit, output, error) = await Run("keys", "create", "--client", "acme", "--scopes", "orders:read payments:write", "--expires", expires, "--json");
        Assert.That(exit, Is.Zero, error);
        var created = JsonNode.Parse(output)!;
        var key = created["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<string>();
        Assert.That(key, Does.StartWith("bffk_live_" + id));
        Assert.That(created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "orders:read", "payments:write" }));

        var list = JsonNode.Parse((await Run("keys", "list", "--client", "acme", "--json")).Output)!;
        Assert.That(list.ToJsonString(), Does.Not.Contain(key));
        Assert.That(list["keys"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("active"));

        var rotated = JsonNode.Parse((await Run("keys", "rotate", id, "--grace", "1h", "--json")).Output)!;
        Assert.That(rotated["replacedId"]!.GetValue<string>(), Is.EqualTo(id));

        Assert.That((await Run("keys", "revoke", rotated["id"]!.GetValue<string>())).ExitCode, Is.Zero);
        var after = JsonNode.Parse((await Run("keys", "list", "--json")).Output)!["keys"]!.AsArray();
        Assert.That(after.Select(k => k!["status"]!.GetValue<string>()), Is.EquivalentTo(new[] { "active", "revoked" }));
    }

    [Test]
    public async Task ClientSecrets_CreateShownOnce_List_Revoke()
    {
        Assert.That((await Run("clients", "create", "--name", "acme")).ExitCode, Is.Zero);
        var expires = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (exit, output, error) = await Run("clients", "secrets", "create", "acme", "--scopes", "orders:read", "--expires", expires, "--json");
        Assert.That(exit, Is.Zero, error);
        var created = JsonNode.Parse(output)!;
        var secret = created["client_secret"]!.GetValue<string>();
        Assert.That(secret, Does.StartWith("bffcs_live_" + created["id"]!.GetValue<string>()));
        Assert.That(created["client_id"]!.GetValue<string>(), Is.Not.Empty);

        var list = await Run("clients", "secrets", "list", "--client", "acme", "--json");
        Assert.That(list.Output, Does.Not.Contain(secret), "a secret is shown once");
        Assert.That(JsonNode.Parse(list.Output)!["secrets"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That((await Run("clients", "secrets", "revoke", created["id"]!.GetValue<string>())).ExitCode, Is.Zero);
        Assert.That(JsonNode.Parse((await Run("clients", "secrets", "list", "--json")).Output)!["secrets"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("revoked"));
        Assert.That((await Run("clients", "secrets", "create", "nobody", "--json")).ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task OneCommand_CreatesClientAndKey()
    {
        var (exit, output, error) = await Run("keys", "create", "--client", "initech", "--create-client", "--scopes", "orders:read", "--json");
        Assert.That(exit, Is.Zero, error);
        Assert.That(JsonNode.Parse(output)!["client"]!.GetValue<string>(), Is.EqualTo("initech"));
        Assert.That((await Run("clients", "list")).Output, Does.Contain("initech"));
    }

    [Test]
    public async Task Users_CreateFromStdin_List_Disable_AllAudited()
    {
        var create = await HostProcess.RunAsync("Bff.Partner", "correct-horse-1\n",
            ["users", "create", "--username", "alice", "--password-stdin", "--roles", "admin,support", "--json",
             .. StoreArguments]);
        Assert.That(create.ExitCode, Is.Zero, create.Error);
        Assert.That(JsonNode.Parse(create.Output)!["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "admin", "support" }));

        Assert.That((await Run("users", "disable", "alice")).ExitCode, Is.Zero);
        var list = JsonNode.Parse((await Run("users", "list", "--json")).Output)!["users"]![0]!;
        Assert.That((list["username"]!.GetValue<string>(), list["disabled"]!.GetValue<bool>()), Is.EqualTo(("alice", true)));

        var withoutStdin = await Run("users", "create", "--username", "bob");
        Assert.That(withoutStdin.ExitCode, Is.EqualTo(1));
        Assert.That(withoutStdin.Error, Does.Contain("--password-stdin"));
    }

    [Test]
    public async Task CachePurge_Command()
    {
        var (exit, output, error) = await Run("cache", "purge", "--region", "orders", "--json");
        Assert.That(exit, Is.Zero, error);
        Assert.That(JsonNode.Parse(output)!["purged"]!.GetValue<string>(), Is.EqualTo("region:orders"));
        Assert.That((await Run("cache", "purge")).ExitCode, Is.EqualTo(1), "a region or a route is required");
    }

    [Test]
    public async Task Refusals_ExitOne_WithTheReasonOnStandardError()
    {
        var (exit, _, error) = await Run("keys", "create", "--client", "nobody", "--scopes", "x");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("No client named 'nobody'"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task WithoutPepperOutsideDevelopment_ExitOne()
    {
        var (exit, _, error) = await HostProcess.RunAsync("Bff.Partner", "keys", "list", $"--ConnectionStrings:KeyStore=Data Source={Path.Combine(_data.Path, "k.db")}");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("ApiKeys:Pepper is required"));
    }
}
