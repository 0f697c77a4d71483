using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Mobile;

/// <summary>Bff.Mobile with its real route files and its MobileHome aggregator against the real demo backends.</summary>
internal sealed class MobileDemoTests() : DemoHostTests<MobileBffMarker>("mobile")
{

    private async Task<HttpResponseMessage> GetAsync(string path, bool signedIn = true, string username = "mobile-tester", string customerId = "1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (signedIn) request.Headers.Add("Authorization", "Bearer " + await TestTokens.AccessTokenAsync(Services, username, customerId));
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task MobileRoutes_NeedABearerToken()
    {
        var anonymous = await GetAsync("/m/v1/home", signedIn: false);
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task TokenEndpoint_AndJwks_Work()
    {
        await TestTokens.AccessTokenAsync(Services, "phone-user");
        var token = await Client.PostAsJsonAsync("/auth/token", new { username = "phone-user", password = "test-password-1" });
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var access = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/m/v1/me");
        request.Headers.Add("Authorization", "Bearer " + access);
        Assert.That((await Client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Client.GetStringAsync("/.well-known/jwks.json"), Does.Contain("\"alg\":\"ES256\""));
    }

    [Test]
    public async Task Home_IsTrimmedToWhatThePhoneShows()
    {
        var response = await GetAsync("/m/v1/home");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.Select(p => p.Key), Is.EqualTo(new[] { "user", "recentOrders", "payments", "unavailable" }));
        Assert.That(body["user"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "displayName", "avatarUrl" }));
        Assert.That(body["user"]!["id"]!.GetValue<int>(), Is.EqualTo(1));
        var orders = body["recentOrders"]!.AsArray();
        Assert.That(orders, Has.Count.InRange(1, 3));
        Assert.That(orders[0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "status", "total", "currency", "itemCount" }));
        Assert.That(body["payments"]!["lastStatus"], Is.Not.Null);
        Assert.That(body["unavailable"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Home_UnknownCustomer_Is502Problem()
    {
        var response = await GetAsync("/m/v1/home", username: "customer-999", customerId: "999");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Home_BackendsDown_UserPartFails_Is502()
    {
        // The demo knob reaches every part (parts inherit the query): nothing can be shown.
        var response = await GetAsync("/m/v1/home?demo-status=503");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
    }
}
