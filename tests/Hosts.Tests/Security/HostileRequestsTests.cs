using System.Net;
using System.Text.Json;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Security;

/// <summary>
/// Hostile requests against each host as shipped (its real route files, echo backends, a real Kestrel listener,
/// raw sockets so nothing is normalised on the way): malformed and oversized requests, encodings, method tricks,
/// smuggling attempts and spoofed headers. Every refusal is a 4xx — problem+json from the gateway, or Kestrel's own
/// bare 4xx for what it refuses to parse — never a 5xx, and nothing refused reaches a backend. The assembly's log
/// secret scan (LogSecretScanFixture) checks afterwards that nothing secret was logged on the way.
/// </summary>
internal abstract class HostileRequestsTests<TMarker>(string bff, string probe) where TMarker : class
{
    // Headers the shipped route files set from claims, the gateway's forwarded headers, and their variants.
    private static readonly string[] Spoofed =
    [
        "X-Client-Id", "X-Customer-Id", "X-User-Id", "X-User-Name", "X-Forwarded-For", "X-Forwarded-Host",
        "X-Forwarded-Proto", "X-Real-IP", "Forwarded", "True-Client-IP", "X-Original-URL", "X-Rewrite-URL",
        "X-HTTP-Method-Override", "X-Forwarded-Ssl", "X-Forwarded-Scheme",
    ];

    private HostFixture<TMarker> _host = null!;

    protected IServiceProvider Services => _host.Services;

    /// <summary>The credentials of a signed-in caller allowed on <c>probe</c>, as header lines.</summary>
    protected abstract Task<IReadOnlyList<KeyValuePair<string, string>>> CredentialsAsync();

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture<TMarker>.StartAsync(bff, "Testing", null, kestrel: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private int Forwarded => _host.Backends.Values.Sum(b => b.RequestCount);

    private static string Request(string method, string target, params string[] lines) =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{string.Concat(lines.Select(l => l + "\r\n"))}Connection: close\r\n\r\n";

    private IEnumerable<(string Name, string Raw)> Hostile()
    {
        yield return ("dot segments", Request("GET", probe + "/../../admin/keys"));
        yield return ("encoded dot segments", Request("GET", probe + "/%2e%2e/%2e%2e/admin/keys"));
        yield return ("double-encoded dot segments", Request("GET", probe + "/%252e%252e/%252e%252e/admin"));
        yield return ("encoded backslashes", Request("GET", probe + "/..%5c..%5cadmin"));
        yield return ("encoded slash", Request("GET", probe + "/1%2f..%2f2"));
        yield return ("NUL in the path", Request("GET", probe + "%00"));
        yield return ("bad percent-encoding", Request("GET", probe + "/%zz"));
        yield return ("overlong UTF-8", Request("GET", probe + "/%c0%ae%c0%ae/admin"));
        yield return ("control character in a header", Request("GET", probe, "X-Note: a\u0001b"));
        yield return ("very long URL", Request("GET", probe + "/" + new string('a', 64 * 1024)));
        yield return ("very large header", Request("GET", probe, "X-Big: " + new string('b', 64 * 1024)));
        yield return ("many headers", Request("GET", probe, [.. Enumerable.Range(0, 500).Select(i => $"X-H{i}: {i}")]));
        yield return ("Content-Length and Transfer-Encoding", Request("POST", probe, "Content-Length: 4", "Transfer-Encoding: chunked") + "0\r\n\r\n");
        yield return ("two Content-Lengths", Request("POST", probe, "Content-Length: 1", "Content-Length: 30") + "x");
        yield return ("Transfer-Encoding not ending in chunked", Request("POST", probe, "Transfer-Encoding: chunked, identity") + "0\r\n\r\n");
        yield return ("bad chunk size", Request("POST", probe, "Transfer-Encoding: chunked") + "zz\r\nabc\r\n0\r\n\r\n");
        yield return ("obsolete line folding", $"GET {probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\nConnection: close\r\n\r\n");
        yield return ("two Host headers", $"GET {probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        yield return ("absolute-form for another host", $"GET http://evil.example{probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        yield return ("bare LF line endings", $"GET {probe} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n");
        yield return ("TRACE", Request("TRACE", probe));
        yield return ("CONNECT", $"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nConnection: close\r\n\r\n");
        yield return ("unknown method", Request("FOO", probe));
        yield return ("anonymous OPTIONS", Request("OPTIONS", probe));
        yield return ("anonymous method override", Request("GET", probe, "X-HTTP-Method-Override: DELETE"));
        yield return ("2 GB body announced, none sent", Request("POST", probe, "Content-Type: application/json", "Content-Length: 2000000000"));
        yield return ("a key in the query", Request("GET", probe + "?api_key=bffk_test_x&X-Api-Key=y"));
        yield return ("a forged session cookie", Request("GET", probe, "Cookie: __Host-bffs=forged; bffs=forged", "X-CSRF: 1"));
        yield return ("a forged bearer token", Request("GET", probe, "Authorization: Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."));
        yield return ("a malformed API key", Request("GET", probe, "X-Api-Key: ' OR 1=1 --"));
        yield return ("the admin API without a key", Request("GET", "/admin/keys"));
        yield return ("HTTP/1.0 without Host", $"GET {probe} HTTP/1.0\r\n\r\n");
        yield return ("garbage request line", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
    }

    [Test]
    public async Task HostileRequests_AreRefusedWith4xx_NeverA5xx_NeverForwarded()
    {
        var failures = new List<string>();
        foreach (var (name, raw) in Hostile())
        {
            var before = Forwarded;
            RawResponse response;
            try
            {
                response = await RawHttp.SendRawAsync(_host.Port, raw, TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                failures.Add($"{name}: no answer ({e.GetType().Name}: {e.Message})");
                continue;
            }
            TestContext.Out.WriteLine($"{name}: {response.Status} {response.Header("Content-Type")}");
            if (response.Status is < 400 or >= 500)
                failures.Add($"{name}: {response.Status} {response.Body}");
            else if (response.Body.Length > 0 && response.Header("Content-Type")?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
                failures.Add($"{name}: {response.Status} with {response.Header("Content-Type")} '{response.Body}'");
            if (Forwarded != before) failures.Add($"{name}: reached a backend");
        }
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task SpoofedIdentityAndForwardingHeaders_NeverReachTheBackend_OnASignedInRequest()
    {
        var lines = (await CredentialsAsync()).Select(h => $"{h.Key}: {h.Value}")
            .Concat(Spoofed.Select(name => $"{name}: spoofed-{name.ToLowerInvariant()}"))
            .ToArray();
        var before = Forwarded;
        var response = await RawHttp.SendRawAsync(_host.Port, Request("GET", probe, lines));

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(Forwarded, Is.EqualTo(before + 1), "the signed-in request is forwarded");
        var echo = JsonSerializer.Deserialize<EchoedRequest>(response.Body, JsonSerializerOptions.Web)!;
        Assert.That(echo.Method, Is.EqualTo("GET"), "no method override");
        Assert.That(echo.Headers.Where(h => h.Value.Contains("spoofed", StringComparison.Ordinal)).Select(h => h.Key), Is.Empty,
            "no header value the client chose for an asserted or forwarding header");
    }
}

internal sealed class WebHostileRequestsTests() : HostileRequestsTests<WebBffMarker>("web", "/api/me/orders")
{
    protected override async Task<IReadOnlyList<KeyValuePair<string, string>>> CredentialsAsync() =>
        [new("Cookie", await TestSessions.CookieAsync(Services, "hostile-web")), new("X-CSRF", "1")];
}

internal sealed class MobileHostileRequestsTests() : HostileRequestsTests<MobileBffMarker>("mobile", "/m/v1/orders")
{
    protected override async Task<IReadOnlyList<KeyValuePair<string, string>>> CredentialsAsync() =>
        [new("Authorization", "Bearer " + await TestTokens.AccessTokenAsync(Services, "hostile-mobile"))];
}

internal sealed class PartnerHostileRequestsTests() : HostileRequestsTests<PartnerBffMarker>("partner", "/partner/v1/orders")
{
    protected override async Task<IReadOnlyList<KeyValuePair<string, string>>> CredentialsAsync() =>
        [new("X-Api-Key", (await TestKeys.CreateAsync(Services, TestKeys.AllPartnerScopes)).Key)];
}
