using System.Net;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;
using Bff.Shared.Aggregation;

namespace Bff.Hosts.Tests.Web;

/// <summary>Bff.Web with its real route files against the real demo backends.</summary>
internal sealed class WebDemoTests() : DemoHostTests<WebBffMarker>("web")
{

    private string? _cookie;

    private async Task<HttpResponseMessage> SendAsync(string path, bool signedIn = true, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (signedIn) TestSessions.SignIn(request, cookie ?? (_cookie ??= await TestSessions.CookieAsync(Services)));
        return await Client.SendAsync(request);
    }

    private async Task<(HttpResponseMessage Response, JsonNode Body)> GetAsync(string path, string? cookie = null)
    {
        var response = await SendAsync(path, cookie: cookie);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Test]
    public async Task WebRoutes_NeedASession_AndGetTheUserIdentity()
    {
        Assert.That((await SendAsync("/api/me", signedIn: false)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SendAsync("/api/dashboard", signedIn: false)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an aggregate too");
        Assert.That((await SendAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Dashboard_CombinesUserOrdersAndPayments()
    {
        var (response, body) = await GetAsync("/api/dashboard");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["web-me"]!["id"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(body["web-me-orders"]!.AsArray().Select(o => o!["userId"]!.GetValue<int>()), Is.Not.Empty.And.All.EqualTo(1));
        Assert.That(body["web-me-payments"]!.AsArray().Select(p => p!["userId"]!.GetValue<int>()), Is.Not.Empty.And.All.EqualTo(1));
        Assert.That(response.Headers.GetValues(AggregateHandler.PartsHeader).Single(),
            Is.EqualTo("web-me=200, web-me-orders=200, web-me-payments=200"));
    }

    [Test]
    public async Task Dashboard_UnknownCustomer_Is502_BecauseTheUserIsRequired()
    {
        var (response, body) = await GetAsync("/api/dashboard", await TestSessions.CookieAsync(Services, "customer-999", "999"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(body["parts"]!.ToJsonString(), Is.EqualTo("""[{"key":"web-me","status":404}]"""));
    }

    [Test]
    public async Task OrderHistory_ChainsPaymentsPerOrder()
    {
        var (response, body) = await GetAsync("/api/order-history");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var orderIds = body["web-me-orders"]!.AsArray().Select(o => o!["id"]!.GetValue<int>()).ToList();
        var paymentGroups = body["web-me-order-payments"]!.AsArray();
        Assert.That(paymentGroups, Has.Count.EqualTo(orderIds.Count), "one payments call per order");
        for (var i = 0; i < orderIds.Count; i++)
            Assert.That(paymentGroups[i]!.AsArray().Select(p => p!["orderId"]!.GetValue<int>()), Is.All.EqualTo(orderIds[i]));
    }

    [Test]
    public async Task PlainRoutes_ReachTheDemoServices()
    {
        Assert.That((await GetAsync("/api/me")).Body["username"]!.GetValue<string>(), Is.EqualTo("ada"));
        Assert.That((await GetAsync("/api/me/preferences")).Body["userId"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await GetAsync("/api/me/orders/1001")).Body["id"]!.GetValue<int>(), Is.EqualTo(1001));
        Assert.That((await GetAsync("/api/me/orders/1001/payments")).Body.AsArray(), Is.Not.Empty);
        Assert.That((await GetAsync("/api/me/payments/5001")).Body["id"]!.GetValue<int>(), Is.EqualTo(5001));
        Assert.That((await SendAsync("/api/me/orders/999999")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "backend 404 passes through");
    }
}
