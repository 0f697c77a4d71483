using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Security;

/// <summary>
/// Identity comes from the gateway, never from the request: signed in as the demo customer 1 (Ada), no route or
/// aggregate of the shipped route files gives any data of another customer — whatever ids the path, the query or the
/// body names, by any method, trailing slash, letter case or percent-encoding. Each host runs its real route files
/// against its own demo backends process (POSTs create orders; the shared demo data of other tests stays untouched).
/// </summary>
internal abstract partial class CustomerIsolationTests<TMarker>(string bff) where TMarker : class
{
    // Seeded data of the other demo customers (2 Grace, 3 Linus, 4 Margaret).
    private static readonly int[] OtherUsers = [2, 3, 4];
    private static readonly int[] OtherOrders = [1003, 1004, 1005, 1006];
    private static readonly int[] OtherPayments = [5003, 5004, 5005, 5006];
    private static readonly string[] OtherNames = ["grace", "linus", "margaret", "Hopper", "Torvalds", "Hamilton"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private DemoBackends _backends = null!;
    private HostFixture<TMarker> _host = null!;
    private HttpClient _client = null!;

    protected IServiceProvider Services => _host.Services;

    /// <summary>Adds the credentials of a user mapped to the demo customer 1.</summary>
    protected abstract Task SignInAsCustomerOneAsync(HttpRequestMessage request);

    [OneTimeSetUp]
    public async Task Start()
    {
        _backends = await DemoBackends.StartAsync();
        _host = HostFixture<TMarker>.Start(bff, _backends.Port);
        _client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Test]
    public async Task TheLeakDetector_SeesAnotherCustomersData()
    {
        // The check below must be able to fail: the demo backends themselves answer for any id they are given.
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_backends.Port}") };
        foreach (var path in new[] { "/api/users/2", "/api/users", "/api/orders/1003", "/api/payments?userId=2", "/api/users/3/orders" })
            Assert.That(Leaks(await direct.GetStringAsync(path)), Is.Not.Null, path);
        Assert.That(Leaks(await direct.GetStringAsync("/api/users/1")), Is.Null, "customer 1's own data is no leak");
    }

    [Test]
    public async Task NoRouteOrAggregate_GivesAnotherCustomersData_ByAnyPathMethodOrEncoding()
    {
        var templates = Templates().ToList();
        Assert.That(templates, Is.Not.Empty);
        var requests = 0;
        var answered = 0;
        var leaks = new List<string>();
        foreach (var path in templates.SelectMany(Attacks).Concat(LegacyShapes).Distinct())
            foreach (var method in Methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = new StringContent("""{"userId":2,"orderId":1003,"amount":1,"items":[{"sku":"x","quantity":1,"unitPrice":1}]}""", Encoding.UTF8, "application/json");
                await SignInAsCustomerOneAsync(request);
                using var response = await _client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                requests++;
                if (response.IsSuccessStatusCode) answered++;
                Assert.That((int)response.StatusCode, Is.LessThan(500), $"{method} {path}: {body}");
                if (Leaks(body) is { } leak) leaks.Add($"{method} {path} → {(int)response.StatusCode}: {leak}");
            }
        Assert.That(leaks, Is.Empty);
        Assert.That(answered, Is.GreaterThan(templates.Count), $"the signed-in customer's own requests are answered ({answered} of {requests})");
    }

    [Test]
    public async Task TheOwnData_IsReachable()
    {
        foreach (var template in Templates().Where(t => !t.Contains('{')))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, template);
            await SignInAsCustomerOneAsync(request);
            using var response = await _client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.MethodNotAllowed || response.StatusCode == HttpStatusCode.NotFound) continue; // POST-only route
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{template}: {body}");
            Assert.That(body, Does.Contain("\"userId\":1").Or.Contain("\"id\":1,"), template);
        }
    }

    /// <summary>Every upstream template of the host's route files (routes and aggregates).</summary>
    private IEnumerable<string> Templates()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.RouteFolder(bff), "ocelot*.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var section in new[] { "Routes", "Aggregates" })
                if (root[section] is JsonArray items)
                    foreach (var item in items.OfType<JsonObject>())
                        yield return item["UpstreamPathTemplate"]!.GetValue<string>();
        }
    }

    /// <summary>The template with other customers' ids in its placeholders, and the usual tricks on the result.</summary>
    private static IEnumerable<string> Attacks(string template)
    {
        var ids = new[] { OtherUsers[0], OtherOrders[0], OtherPayments[0], OtherOrders[^1] }.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var filled = Placeholder().IsMatch(template) ? ids.Select(id => Placeholder().Replace(template, id)) : [template];
        foreach (var path in filled.Distinct())
        {
            yield return path;
            yield return path + "/";
            yield return path + "/2";
            yield return path.ToUpperInvariant();
            yield return path.Replace("e", "%65", StringComparison.Ordinal);
            yield return path + "?userId=2&customer=2&customer_id=2&id=1003";
            yield return path + "/%2e%2e/2";
            yield return path + "%2F2";
        }
    }

    /// <summary>The shapes of the routes before identity came from claims: a user id in the path.</summary>
    private static readonly string[] LegacyShapes =
    [
        "/api/users/2", "/api/users", "/api/dashboard/2", "/api/order-history/2", "/api/orders/1003", "/api/payments/5003",
        "/api/orders", "/api/payments", "/m/v1/me/2", "/m/v1/home/2", "/m/v1/orders/2", "/m/v1/payments/2", "/api/me/%2e%2e/users/2",
    ];

    /// <summary>What in a response belongs to another customer, or null.</summary>
    private static string? Leaks(string body)
    {
        if (OtherNames.FirstOrDefault(n => body.Contains(n, StringComparison.OrdinalIgnoreCase)) is { } name) return $"names '{name}'";
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return null; }
        return Walk(root);
    }

    private static string? Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return array.Select(Walk).FirstOrDefault(l => l is not null);
            case JsonObject obj:
                if (Number(obj["userId"]) is { } user && user != 1) return $"userId {user}";
                if (obj["username"] is JsonValue && Number(obj["id"]) is { } profile && profile != 1) return $"user {profile}";
                if (obj["displayName"] is JsonValue && Number(obj["id"]) is { } shown && shown != 1) return $"user {shown}";
                if (obj["status"] is JsonValue && obj["type"] is null && Number(obj["id"]) is { } id && (OtherOrders.Contains(id) || OtherPayments.Contains(id))) return $"order/payment {id}";
                if (Number(obj["orderId"]) is { } order && OtherOrders.Contains(order)) return $"orderId {order}";
                return obj.Select(p => Walk(p.Value)).FirstOrDefault(l => l is not null);
            default:
                return null;
        }
    }

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var n) ? n : null;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}

internal sealed class WebCustomerIsolationTests() : CustomerIsolationTests<WebBffMarker>("web")
{
    private string? _cookie;

    protected override async Task SignInAsCustomerOneAsync(HttpRequestMessage request) =>
        TestSessions.SignIn(request, _cookie ??= await TestSessions.CookieAsync(Services, "isolation-ada"));
}

internal sealed class MobileCustomerIsolationTests() : CustomerIsolationTests<MobileBffMarker>("mobile")
{
    private string? _token;

    protected override async Task SignInAsCustomerOneAsync(HttpRequestMessage request) =>
        request.Headers.Add("Authorization", "Bearer " + (_token ??= await TestTokens.AccessTokenAsync(Services, "isolation-ada")));
}
