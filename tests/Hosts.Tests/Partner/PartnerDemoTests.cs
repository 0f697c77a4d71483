using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

/// <summary>Bff.Partner with its real route files against the real demo backends.</summary>
internal sealed class PartnerDemoTests() : DemoHostTests<PartnerBffMarker>("partner")
{

    [Test]
    public async Task Orders_AndPayments_ArePassedThrough()
    {
        var orders = JsonNode.Parse(await Client.GetStringAsync("/partner/v1/orders"))!.AsArray();
        Assert.That(orders, Is.Not.Empty);
        var payments = JsonNode.Parse(await Client.GetStringAsync("/partner/v1/orders/1001/payments"))!.AsArray();
        Assert.That(payments.Select(p => p!["orderId"]!.GetValue<int>()), Is.All.EqualTo(1001));
    }

    [Test]
    public async Task CreateOrder_Returns201FromTheBackend()
    {
        var response = await Client.PostAsJsonAsync("/partner/v1/orders",
            new { userId = 2, items = new[] { new { sku = "X-1", name = "Widget", quantity = 2, unitPrice = 3.5m } }, currency = "EUR" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
