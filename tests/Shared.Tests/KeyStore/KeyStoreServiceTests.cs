using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.KeyStore;

/// <summary>The key store on a real SQLite file and a real PostgreSQL server (and SQL Server when
/// <c>BFFS_TEST_SQLSERVER</c> is set): storage, lifecycle and audit.</summary>
[TestFixtureSource(typeof(KeyStoreDatabase), nameof(KeyStoreDatabase.Providers))]
internal sealed class KeyStoreServiceTests(KeyStoreProvider provider)
{
    private const string NoRoutes = """{ "Routes": [] }""";

    [Test]
    public async Task CreatedKey_IsStoredOnlyAsAHash()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider);
        var created = await gateway.NewKeyAsync("orders:read");

        var text = await gateway.Database.StoredBytesAsTextAsync();
        Assert.That(text, Does.Not.Contain(created.Key));
        Assert.That(text, Does.Not.Contain(created.Key[(created.Key.Length - 40)..]), "no part of the secret either");
        Assert.That(text, Does.Contain(created.Id), "the public id is stored");
    }

    [Test]
    public async Task ListKeys_ShowsIdAndLastFourOnly()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider);
        var created = await gateway.NewKeyAsync("orders:read payments:write");

        var listed = (await gateway.Store.ListKeysAsync("acme")).Single();

        Assert.That(listed.Display, Is.EqualTo($"bffk_test_{created.Id}…{created.Key[^4..]}").Or.EqualTo($"bffk_live_{created.Id}…{created.Key[^4..]}"));
        Assert.That(listed.Scopes, Is.EqualTo(new[] { "orders:read", "payments:write" }));
        Assert.That(listed.Status, Is.EqualTo("active"));
    }

    [Test]
    public async Task Rotate_OldKeyExpiresAfterTheGrace_NewKeyKeepsScopes()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider);
        var old = await gateway.NewKeyAsync("orders:read");

        var rotated = await gateway.Store.RotateKeyAsync(old.Id, TimeSpan.FromHours(2), KeyStoreGateway.Tester);

        Assert.That(rotated.Id, Is.Not.EqualTo(old.Id));
        Assert.That(rotated.Scopes, Is.EqualTo(old.Scopes));
        Assert.That(rotated.ReplacedId, Is.EqualTo(old.Id));
        var keys = await gateway.Store.ListKeysAsync("acme");
        Assert.That(keys.Single(k => k.Id == old.Id).ExpiresAt, Is.EqualTo(gateway.Time.GetUtcNow().UtcDateTime.AddHours(2)));
        Assert.That(keys.Single(k => k.Id == rotated.Id).ExpiresAt, Is.Null);
    }

    [Test]
    public async Task EveryChange_IsAudited_IncludingRefusals()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider);
        var created = await gateway.NewKeyAsync("orders:read");
        await gateway.Store.RevokeKeyAsync(created.Id, KeyStoreGateway.Tester);
        Assert.That(async () => await gateway.Store.CreateClientAsync("acme", null, KeyStoreGateway.Tester), Throws.TypeOf<KeyStoreException>());

        var audit = await gateway.Host.Services.GetRequiredService<AuditLog>().QueryAsync("test:runner", null, null, null, 1, 50);

        Assert.That(audit.Select(a => (a.Action, a.Outcome)), Is.EqualTo(new[]
        {
            ("client.create", "refused"), ("key.revoke", "success"), ("key.create", "success"), ("client.create", "success"),
        }));
        Assert.That(audit.All(a => a.SourceIp == "127.0.0.1"), Is.True);
        Assert.That(audit.Select(a => a.Details ?? ""), Has.None.Contains("bffk_"), "no key in the audit log");
    }

    [Test]
    public async Task AuditConnectionString_SendsTheAuditLogToItsOwnDatabase()
    {
        await using var auditDatabase = await KeyStoreDatabase.CreateAsync(provider);
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider,
            extra: new Dictionary<string, string?> { ["ConnectionStrings:Audit"] = auditDatabase.ConnectionString });

        await gateway.NewKeyAsync("orders:read");

        var contexts = gateway.Host.Services.GetRequiredService<KeyStoreContextFactory>();
        await using var keyStore = contexts.Create();
        await using var audit = contexts.CreateAudit();
        Assert.That(keyStore.Audit.Count(), Is.Zero);
        Assert.That(audit.Audit.Select(a => a.Action).ToList(), Is.EquivalentTo(new[] { "client.create", "key.create" }));
    }

    [Test]
    public async Task Plans_ParseRateAndQuota()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(NoRoutes, provider: provider);
        Assert.That(PlanLimit.TryParse("100/1s", out var rate), Is.True);
        Assert.That(PlanLimit.TryParse("100000/1d", out var quota), Is.True);

        var plan = await gateway.Store.SetPlanAsync("gold", rate, quota, KeyStoreGateway.Tester);
        await gateway.Store.CreateClientAsync("acme", "gold", KeyStoreGateway.Tester);

        Assert.That((plan.RateLimit, plan.RatePeriod, plan.QuotaLimit, plan.QuotaPeriod), Is.EqualTo((100L, (TimeSpan?)TimeSpan.FromSeconds(1), 100000L, (TimeSpan?)TimeSpan.FromDays(1))));
        Assert.That((await gateway.Store.ListClientsAsync()).Single().PlanName, Is.EqualTo("gold"));
        Assert.That(PlanLimit.TryParse("fast", out _), Is.False);
        Assert.That(async () => await gateway.Store.CreateClientAsync("other", "platinum", KeyStoreGateway.Tester),
            Throws.TypeOf<KeyStoreException>().With.Property(nameof(KeyStoreException.Status)).EqualTo(404));
    }
}
