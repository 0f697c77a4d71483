using System.Net;
using System.Text.Json.Nodes;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.ApiKeys;

/// <summary>Routes protected the Ocelot way with the ApiKey scheme, against a real echo backend and key store (SQLite and PostgreSQL).</summary>
[TestFixtureSource(typeof(KeyStoreDatabase), nameof(KeyStoreDatabase.Providers))]
internal sealed class ApiKeyGatewayTests(KeyStoreProvider provider)
{
    private EchoBackend _backend = null!;

    [OneTimeSetUp]
    public async Task Start() => _backend = await EchoBackend.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _backend.DisposeAsync();

    private static readonly Dictionary<string, string?> OneSecondCache = new() { ["ApiKeys:CacheDuration"] = "00:00:01" };

    private string Config() => $$"""
        { "Routes": [
            { "UpstreamPathTemplate": "/orders/{id}", "DownstreamPathTemplate": "/api/orders/{id}",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AllowedScopes": ["orders:read"] },
              "AddHeadersToRequest": { "X-Client-Id": "Claims[client_id] > value", "X-Scopes": "Claims[scope] > value" },
              "AddQueriesToRequest": { "client": "Claims[client_id] > value" } },
            { "UpstreamPathTemplate": "/tenants/{tenant}/data", "DownstreamPathTemplate": "/api/{client}/data",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AddClaimsToRequest": { "tenant": "Claims[plan] > value" },
              "RouteClaimsRequirement": { "client_id": "{tenant}" },
              "ChangeDownstreamPathTemplate": { "client": "Claims[client_id] > value" } },
            { "UpstreamPathTemplate": "/public", "DownstreamPathTemplate": "/api/public",
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
              "AuthenticationOptions": { "AllowAnonymous": true } } ],
          "GlobalConfiguration": { "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } }
        """;

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> GetAsync(KeyStoreGateway gateway, string path, string? key = null)
    {
        using var client = gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Test]
    public async Task NoKey_Is401ProblemWithChallenge_AndNothingIsForwarded()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var before = _backend.RequestCount;

        var (response, body) = await GetAsync(gateway, "/orders/1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body!["detail"]!.GetValue<string>(), Does.Contain("X-Api-Key"));
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task ValidKey_IsForwarded_WithClaimsAsHeadersAndQuery_AndWithoutTheKey()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read payments:read");

        var (response, body) = await GetAsync(gateway, "/orders/7", key.Key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var headers = body!["headers"]!.AsObject();
        var clientId = (await gateway.Store.ListClientsAsync()).Single().Id;
        Assert.That(headers["X-Client-Id"]!.GetValue<string>(), Is.EqualTo(clientId));
        Assert.That(headers["X-Scopes"]!.GetValue<string>(), Is.EqualTo("orders:read,payments:read"));
        Assert.That(headers.ContainsKey("X-Api-Key"), Is.False, "the key never reaches the backend");
        Assert.That(body["pathAndQuery"]!.GetValue<string>(), Is.EqualTo($"/api/orders/7?client={clientId}"));
    }

    [Test]
    public async Task WrongSecret_UnknownId_Malformed_AreAll401()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        var (other, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");

        foreach (var presented in new[] { other, key.Key[..^1] + (key.Key[^1] == 'a' ? 'b' : 'a'), "not-a-key" })
            Assert.That((await GetAsync(gateway, "/orders/1", presented)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), presented);
    }

    [Test]
    public async Task KeyInQueryString_Is401_ExplainingWhy()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");

        var (response, body) = await GetAsync(gateway, $"/orders/1?api_key={key.Key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body!["detail"]!.GetValue<string>(), Does.Contain("only in the X-Api-Key header"));
    }

    [Test]
    public async Task MissingScope_Is403Problem()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("payments:read");

        var (response, _) = await GetAsync(gateway, "/orders/1", key.Key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task RouteClaimsRequirement_WithPlaceholder_AndChangeDownstreamPath()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        await gateway.Store.SetPlanAsync("gold", null, null, KeyStoreGateway.Tester);
        await gateway.Store.CreateClientAsync("acme", "gold", KeyStoreGateway.Tester);
        var key = await gateway.NewKeyAsync("orders:read");
        var clientId = (await gateway.Store.ListClientsAsync()).Single().Id;

        var (own, body) = await GetAsync(gateway, $"/tenants/{clientId}/data", key.Key);
        var (other, _) = await GetAsync(gateway, "/tenants/someone-else/data", key.Key);

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["pathAndQuery"]!.GetValue<string>(), Is.EqualTo($"/api/{clientId}/data"));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AllowAnonymous_OverridesTheGlobalScheme()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        Assert.That((await GetAsync(gateway, "/public")).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await gateway.Store.RevokeKeyAsync(key.Id, KeyStoreGateway.Tester);

        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ExpiredKey_IsRefused()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read", expires: gateway.Time.GetUtcNow().UtcDateTime.AddHours(1));
        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        gateway.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Rotation_BothKeysWorkDuringTheGrace_OnlyTheNewOneAfter()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var old = await gateway.NewKeyAsync("orders:read");

        var rotated = await gateway.Store.RotateKeyAsync(old.Id, TimeSpan.FromHours(24), KeyStoreGateway.Tester);

        Assert.That((await GetAsync(gateway, "/orders/1", old.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await GetAsync(gateway, "/orders/1", rotated.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        gateway.Time.Advance(TimeSpan.FromHours(25));
        Assert.That((await GetAsync(gateway, "/orders/1", old.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await GetAsync(gateway, "/orders/1", rotated.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RepeatedFailures_BlockTheAddress_With429()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider, extra: new Dictionary<string, string?> { ["ApiKeys:MaxFailuresPerMinute"] = "3" });
        var good = await gateway.NewKeyAsync("orders:read");
        var (bad, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");

        for (var i = 0; i < 4; i++) await GetAsync(gateway, "/orders/1", bad);
        var (response, _) = await GetAsync(gateway, "/orders/1", Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test").Key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        Assert.That(gateway.Host.Logs.Lines.Select(l => l.Message), Has.Some.Contains("blocked"));
        // #17 item 6: the block is for guesses; a valid key from the same address (a partner behind the same NAT) works.
        Assert.That((await GetAsync(gateway, "/orders/1", good.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task StoreDown_KnownKeysKeepWorking_UnknownKeysGet503()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var known = await gateway.NewKeyAsync("orders:read");
        Assert.That((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The database disappears: the key store's tables are dropped under the running gateway.
        await using (var db = gateway.Host.Services.GetRequiredService<KeyStoreContextFactory>().Create())
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DROP TABLE api_keys");
        var (unknown, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");

        Assert.That((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (response, _) = await GetAsync(gateway, "/orders/1", unknown);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    // With Redis: a change reaches every replica through it, so records looked up before may outlive an outage of the
    // store (fail-safe). Without Redis no record outlives the one-second cache (RevocationWithStoreLockedTests).
    [Test, CancelAfter(30_000), Category("Redis")]
    public async Task StoreDownUnderLoad_NoGateway500_AndNewKeysWorkAgainOnceItIsBack()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), null, redis.ConnectionString, OneSecondCache, provider: provider);
        var known = await gateway.NewKeyAsync("orders:read");
        var fresh = await gateway.NewKeyAsync("orders:read"); // never used before the outage: not cached
        Assert.That((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        async Task Sql(string sql)
        {
            await using var db = gateway.Host.Services.GetRequiredService<KeyStoreContextFactory>().Create();
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, sql);
        }

        var knownStatuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested) knownStatuses.Add((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode);
        }));

        await Task.Delay(300);
        await Sql("ALTER TABLE api_keys RENAME TO api_keys_offline"); // the store is unavailable
        var (during, body) = await GetAsync(gateway, "/orders/1", fresh.Key);
        Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(during.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using (var health = gateway.Host.CreateClient())
        {
            var ready = System.Text.Json.Nodes.JsonNode.Parse(await health.GetStringAsync("/health/ready"))!;
            Assert.That(ready["checks"]!["key-store"]!["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        }
        await Task.Delay(300);
        await Sql("ALTER TABLE api_keys_offline RENAME TO api_keys"); // and back

        var deadline = DateTime.UtcNow.AddSeconds(5);
        HttpStatusCode after;
        while ((after = (await GetAsync(gateway, "/orders/1", fresh.Key)).Response.StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            Assert.That(after, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            await Task.Delay(100);
        }
        await stop.CancelAsync();
        await load;

        Assert.That(after, Is.EqualTo(HttpStatusCode.OK), "the key works once the store is back");
        Assert.That(knownStatuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK), "cached keys never noticed the outage");
        Assert.That(body?["status"]?.GetValue<int>(), Is.EqualTo(503));
    }

    [Test]
    public async Task Logs_NeverContainKeysOrThePepper_AndNameTheClient()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        var (wrongSecret, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");
        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await GetAsync(gateway, "/orders/1", wrongSecret);
        await GetAsync(gateway, "/orders/1", key.Key[..^3] + "abc");
        await GetAsync(gateway, "/orders/1?api_key=" + key.Key);

        var lines = gateway.Host.Logs.Lines.Select(l => l.Message + " " + l.Exception).ToList();
        Assert.That(lines, Has.Some.Match("Gateway request GET .* client [^-].* → 200 from downstream"), "the request line names the client");
        foreach (var secret in new[] { key.Key, wrongSecret, key.Key[..^3] + "abc", GatewayTestHost.TestPepper })
            Assert.That(gateway.Host.Logs.Lines.Where(l => (l.Message + " " + l.Exception).Contains(secret, StringComparison.Ordinal)).Select(l => $"{l.Category}: {l.Message}"),
                Is.Empty, "a secret reached the logs");
    }

    [Test]
    public async Task FailureSpike_AcrossCallers_RaisesOneAlert()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider, extra: new Dictionary<string, string?> { ["ApiKeys:FailureSpikeAlertThreshold"] = "5" });
        for (var i = 0; i < 12; i++) await GetAsync(gateway, "/orders/1", Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test").Key);

        Assert.That(gateway.Host.Logs.Lines.Count(l => l.Message.StartsWith("Alert auth-failures for ApiKey", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task LastUsed_IsWrittenAtMostOncePerMinute()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        var start = gateway.Time.GetUtcNow().UtcDateTime;
        async Task<DateTime?> LastUsed()
        {
            for (var i = 0; i < 50; i++)
            {
                var value = (await gateway.Store.ListKeysAsync("acme")).Single().LastUsedAt;
                if (value is not null) return value;
                await Task.Delay(20);
            }
            return null;
        }

        await GetAsync(gateway, "/orders/1", key.Key);
        var first = await LastUsed();
        gateway.Time.Advance(TimeSpan.FromSeconds(30));
        await GetAsync(gateway, "/orders/1", key.Key);
        await Task.Delay(200);
        var unchanged = await LastUsed();
        gateway.Time.Advance(TimeSpan.FromSeconds(31));
        await GetAsync(gateway, "/orders/1", key.Key);
        await Task.Delay(200);

        Assert.That(first, Is.EqualTo(start));
        Assert.That(unchanged, Is.EqualTo(first), "no write within the minute");
        Assert.That(await LastUsed(), Is.EqualTo(first!.Value.AddSeconds(61)));
    }

    [Test]
    public async Task SecretsNeverReachTheLogs()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        await GetAsync(gateway, "/orders/1", key.Key);
        await GetAsync(gateway, "/orders/1", key.Key[..^2] + "zz");

        Assert.That(gateway.Host.Logs.Lines.Select(l => l.Message + l.Exception), Has.None.Contains(key.Key[10..]));
    }

    private string AggregateConfig() => Config().TrimEnd().TrimEnd('}') + """
        , "Aggregates": [ { "UpstreamPathTemplate": "/both/{id}", "RouteKeys": ["orders", "public"] } ] }
        """;

    [Test]
    public async Task AggregateParts_AuthenticateEachOnTheirOwn_AndARefusalIsTheAggregatesAnswer()
    {
        var config = AggregateConfig()
            .Replace("\"UpstreamPathTemplate\": \"/orders/{id}\"", "\"Key\": \"orders\", \"UpstreamPathTemplate\": \"/orders/{id}\"", StringComparison.Ordinal)
            .Replace("\"UpstreamPathTemplate\": \"/public\"", "\"Key\": \"public\", \"UpstreamPathTemplate\": \"/public\"", StringComparison.Ordinal);
        await using var gateway = await KeyStoreGateway.StartAsync(config, provider: provider);
        var reader = await gateway.NewKeyAsync("orders:read");
        var other = await gateway.NewKeyAsync("payments:read");

        var (anonymous, _) = await GetAsync(gateway, "/both/3");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "Ocelot: a part's 401 is the aggregate's answer");
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey"));

        Assert.That((await GetAsync(gateway, "/both/3", other.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var (ok, body) = await GetAsync(gateway, "/both/3", reader.Key);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["orders"]!["headers"]!["X-Client-Id"], Is.Not.Null);
        Assert.That(body["public"]!["headers"]!.AsObject().ContainsKey("X-Client-Id"), Is.False, "claims of one part do not leak into another");
    }

    [Test]
    public async Task KeyInQueryString_OnAnAnonymousRoute_IsRefused_AndNotForwarded()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        var before = _backend.RequestCount;

        var (response, _) = await GetAsync(gateway, $"/public?token={key.Key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_backend.RequestCount, Is.EqualTo(before));
    }

    [Test]
    public async Task BlockedAddress_Is403_BeforeAnyKeyIsChecked()
    {
        var config = Config().Replace("\"AllowedScopes\": [\"orders:read\"] },", "\"AllowedScopes\": [\"orders:read\"] }, \"SecurityOptions\": { \"IPBlockedList\": [\"127.0.0.1\"] },", StringComparison.Ordinal);
        await using var gateway = await KeyStoreGateway.StartAsync(config, provider: provider);
        var (bad, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");

        var (response, _) = await GetAsync(gateway, "/orders/1", bad);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(gateway.Host.Logs.Lines.Select(l => l.Message), Has.None.Contains("API key refused"),
            string.Join("\n", gateway.Host.Logs.Lines.Where(l => l.Message.Contains("refused", StringComparison.Ordinal)).Select(l => l.Category + ": " + l.Message + " " + l.Exception)));
    }

    [Test, Category("Redis")]
    public async Task StoreDown_WithRedis_KnownKeysKeepWorkingPastTheCacheDuration()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), null, redis.ConnectionString, OneSecondCache, provider: provider);
        var known = await gateway.NewKeyAsync("orders:read");
        Assert.That((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using (var db = gateway.Host.Services.GetRequiredService<KeyStoreContextFactory>().Create())
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DROP TABLE api_keys");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the one-second cache duration

        Assert.That((await GetAsync(gateway, "/orders/1", known.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task DisabledClient_KeysAreRefused()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");
        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await gateway.Store.DisableClientAsync("acme", KeyStoreGateway.Tester);

        Assert.That((await GetAsync(gateway, "/orders/1", key.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Failures_AreCountedInTheMetric_ByRouteSchemeAndReason()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(string? Route, string? Scheme, string? Reason)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Bffs.Gateway" && instrument.Name == "bff.auth.failures") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var named = new Dictionary<string, string?>();
            foreach (var tag in tags) named[tag.Key] = tag.Value?.ToString();
            for (var i = 0; i < value; i++) measurements.Add((named.GetValueOrDefault("route"), named.GetValueOrDefault("scheme"), named.GetValueOrDefault("reason")));
        });
        listener.Start();
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var (unknown, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");
        var unscoped = await gateway.NewKeyAsync("payments:read");

        Assert.That((await GetAsync(gateway, "/orders/1", unknown)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await GetAsync(gateway, "/orders/1", "garbage")).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await GetAsync(gateway, "/orders/1", null)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await GetAsync(gateway, "/orders/1", unscoped.Key)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That(measurements, Is.SupersetOf(new (string?, string?, string?)[]
        {
            ("/orders/{id}", "ApiKey", "Unknown"), ("/orders/{id}", "ApiKey", "Malformed"),
            ("/orders/{id}", "ApiKey", "missing"), ("/orders/{id}", "ApiKey", "forbidden"),
        }));
    }

    [Test]
    public async Task Rotation_GraceOverSevenDays_AndBadScopes_AreRefused()
    {
        await using var gateway = await KeyStoreGateway.StartAsync(Config(), provider: provider);
        var key = await gateway.NewKeyAsync("orders:read");

        Assert.That(async () => await gateway.Store.RotateKeyAsync(key.Id, TimeSpan.FromDays(8), KeyStoreGateway.Tester),
            Throws.TypeOf<KeyStoreException>().With.Property(nameof(KeyStoreException.Status)).EqualTo(400));
        Assert.That(async () => await gateway.Store.CreateKeyAsync("acme", ["orders read<script>"], null, null, KeyStoreGateway.Tester),
            Throws.TypeOf<KeyStoreException>().With.Message.Contains("is not a scope"));
        Assert.That(Bff.Shared.KeyStore.Durations.TryParse("99999999999d", out _), Is.False);
    }

    [Test]
    public void UnknownScheme_FailsValidation()
    {
        var config = Config().Replace("\"AuthenticationProviderKey\": \"ApiKey\"", "\"AuthenticationProviderKey\": \"Bearer\"", StringComparison.Ordinal);
        Assert.That(async () => await KeyStoreGateway.StartAsync(config, provider: provider),
            Throws.InstanceOf<Exception>().With.Message.Contains("Bearer is unsupported authentication provider"));
    }
}
