using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

/// <summary>Bff.Partner with its real route files against the real demo backends.</summary>
internal sealed class PartnerDemoTests() : DemoHostTests<PartnerBffMarker>("partner")
{
    private async Task<HttpRequestMessage> WithKey(HttpMethod method, string path, string scopes = TestKeys.AllPartnerScopes)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", (await TestKeys.CreateAsync(Services, scopes)).Key);
        return request;
    }

    [Test]
    public async Task Orders_AndPayments_ArePassedThrough_WithTheClientId()
    {
        using var ordersRequest = await WithKey(HttpMethod.Get, "/partner/v1/orders");
        var orders = JsonNode.Parse(await (await Client.SendAsync(ordersRequest)).Content.ReadAsStringAsync())!.AsArray();
        Assert.That(orders, Is.Not.Empty);
        using var paymentsRequest = await WithKey(HttpMethod.Get, "/partner/v1/orders/1001/payments");
        var payments = JsonNode.Parse(await (await Client.SendAsync(paymentsRequest)).Content.ReadAsStringAsync())!.AsArray();
        Assert.That(payments.Select(p => p!["orderId"]!.GetValue<int>()), Is.All.EqualTo(1001));
    }

    [Test]
    public async Task CreateOrder_NeedsTheWriteScope()
    {
        var order = new { userId = 2, items = new[] { new { sku = "X-1", name = "Widget", quantity = 2, unitPrice = 3.5m } }, currency = "EUR" };
        using var readOnly = await WithKey(HttpMethod.Post, "/partner/v1/orders", "orders:read");
        readOnly.Content = JsonContent.Create(order);
        Assert.That((await Client.SendAsync(readOnly)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var writer = await WithKey(HttpMethod.Post, "/partner/v1/orders", "orders:write");
        writer.Content = JsonContent.Create(order);
        var response = await Client.SendAsync(writer);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AClientCredentialsToken_WorksOnTheShippedRoutes_LikeAKey()
    {
        await TestKeys.CreateAsync(Services, "orders:read", client: "oauth-partner");
        var secrets = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bff.Shared.ClientCredentials.ClientSecretService>(Services);
        var secret = await secrets.CreateAsync("oauth-partner", ["orders:read"], null, new Bff.Shared.KeyStore.AuditActor("test:hosts"));
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", secret.ClientId), new("client_secret", secret.Secret)]),
        };
        var token = JsonNode.Parse(await (await Client.SendAsync(tokenRequest)).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();

        using var orders = new HttpRequestMessage(HttpMethod.Get, "/partner/v1/orders");
        orders.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await Client.SendAsync(orders);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task WithoutAKey_Is401()
    {
        var response = await Client.GetAsync("/partner/v1/orders");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey"));
    }
}
