using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

/// <summary>The admin API of Bff.Partner (Admin:Enabled is true in its appsettings).</summary>
internal sealed class AdminApiTests() : DemoHostTests<PartnerBffMarker>("partner")
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task Admin_CreatesClientAndKey_ShowsTheKeyOnce_AndAudits()
    {
        var admin = (await TestKeys.CreateAsync(Services, "admin", client: "ops")).Key;

        var client = await SendAsync(HttpMethod.Post, "/admin/clients", admin, new { name = "globex" });
        Assert.That(client.StatusCode, Is.EqualTo(HttpStatusCode.Created), await client.Content.ReadAsStringAsync());

        var created = await SendAsync(HttpMethod.Post, "/admin/keys", admin, new { client = "globex", scopes = new[] { "orders:read" } });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var key = body["key"]!.GetValue<string>();
        Assert.That(key, Does.StartWith("bffk_"));

        var listed = await (await SendAsync(HttpMethod.Get, "/admin/keys?client=globex", admin)).Content.ReadAsStringAsync();
        Assert.That(listed, Does.Not.Contain(key).And.Contain(key[^4..]));

        // The new key works on a partner route with its scope.
        var orders = await SendAsync(HttpMethod.Get, "/partner/v1/orders", key);
        Assert.That(orders.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var revoke = await SendAsync(HttpMethod.Post, $"/admin/keys/{body["id"]!.GetValue<string>()}/revoke", admin);
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await SendAsync(HttpMethod.Get, "/partner/v1/orders", key)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var audit = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/admin/audit?target=client:globex", admin)).Content.ReadAsStringAsync())!.AsArray();
        Assert.That(audit.Select(a => a!["action"]!.GetValue<string>()), Is.EquivalentTo(new[] { "client.create", "key.create" }));
        Assert.That(audit.All(a => a!["actor"]!.GetValue<string>().StartsWith("key:", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Admin_WithoutAdminScope_Is403_WithoutKey_Is401()
    {
        var partner = (await TestKeys.CreateAsync(Services, "orders:read")).Key;
        Assert.That((await SendAsync(HttpMethod.Get, "/admin/clients", partner)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await SendAsync(HttpMethod.Get, "/admin/clients", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Admin_Refusals_AreProblemJson()
    {
        var admin = (await TestKeys.CreateAsync(Services, "admin", client: "ops")).Key;
        var response = await SendAsync(HttpMethod.Post, "/admin/keys", admin, new { client = "nobody", scopes = new[] { "x" } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var plan = await SendAsync(HttpMethod.Put, "/admin/plans/gold", admin, new { rate = "fast" });
        Assert.That(plan.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Admin_Rotate_ReturnsTheNewKey()
    {
        var admin = (await TestKeys.CreateAsync(Services, "admin", client: "ops")).Key;
        var old = await TestKeys.CreateAsync(Services, "orders:read");

        var rotated = JsonNode.Parse(await (await SendAsync(HttpMethod.Post, $"/admin/keys/{old.Id}/rotate?grace=1h", admin)).Content.ReadAsStringAsync())!;

        Assert.That(rotated["replacedId"]!.GetValue<string>(), Is.EqualTo(old.Id));
        Assert.That((await SendAsync(HttpMethod.Get, "/partner/v1/orders", rotated["key"]!.GetValue<string>())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SendAsync(HttpMethod.Get, "/partner/v1/orders", old.Key)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "grace period");
    }

    [Test]
    public async Task CachePurge_ByRegionAndOcelotPath_IsAudited()
    {
        var admin = (await TestKeys.CreateAsync(Services, "admin", client: "ops")).Key;
        var reader = (await TestKeys.CreateAsync(Services, "orders:read")).Key;
        async Task<string> XCache()
        {
            var response = await SendAsync(HttpMethod.Get, "/partner/v1/orders/1001", reader);
            return response.Headers.GetValues("X-Cache").Single();
        }
        await XCache();
        Assert.That(await XCache(), Is.EqualTo("HIT"));

        Assert.That((await SendAsync(HttpMethod.Delete, "/admin/cache/regions/orders", admin)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await XCache(), Is.EqualTo("MISS"));
        Assert.That((await SendAsync(HttpMethod.Delete, "/outputcache/orders", admin)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await XCache(), Is.EqualTo("MISS"));
        Assert.That((await SendAsync(HttpMethod.Delete, "/outputcache/orders", reader)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var audit = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/admin/audit?target=region:orders", admin)).Content.ReadAsStringAsync())!.AsArray();
        Assert.That(audit.Select(a => a!["action"]!.GetValue<string>()), Is.EqualTo(new[] { "cache.purge", "cache.purge" }));
    }

    [Test]
    public async Task OpenApiDocument_AndScalarPage_AreServed()
    {
        var document = await Client.GetAsync("/admin/openapi/v1.json");
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await document.Content.ReadAsStringAsync(), Does.Contain("/admin/keys"));
        var docs = await Client.GetAsync("/admin/docs");
        if (docs.StatusCode == HttpStatusCode.Found) docs = await Client.GetAsync(new Uri(docs.RequestMessage!.RequestUri!, docs.Headers.Location!));
        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await docs.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json"));
    }
}
