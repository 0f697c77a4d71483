using System.Net;
using Microsoft.Extensions.Hosting;
using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// Nothing big is read before the caller is known: an aggregate whose parts all need a signed-in caller answers 401
/// before it reads the body (a client that declares 2 GB and sends nothing gets its answer at once); a declared body
/// over the parts' limit is 413 unread; a GET aggregate refuses a body. Raw sockets, so the body really is never sent.
/// </summary>
internal sealed class AggregateAdmissionTests
{
    private EchoBackend _backend = null!;
    private TempFolder _data = null!;
    private GatewayTestHost _gateway = null!;
    private string _token = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _backend = await EchoBackend.StartAsync();
        _data = new TempFolder();
        var route = $$"""
            "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{_backend.Port}} } ],
            "AuthenticationOptions": { "AuthenticationProviderKey": "Bearer" }, "MaxRequestBodySize": 1000
            """;
        _gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [
                { "Key": "a", "UpstreamPathTemplate": "/a", "UpstreamHttpMethod": [ "GET", "POST" ], "DownstreamPathTemplate": "/a", {{route}} },
                { "Key": "b", "UpstreamPathTemplate": "/b", "UpstreamHttpMethod": [ "GET", "POST" ], "DownstreamPathTemplate": "/b", {{route}} } ],
              "Aggregates": [ { "UpstreamPathTemplate": "/both", "UpstreamHttpMethod": [ "GET", "POST" ], "RouteKeys": [ "a", "b" ] } ] }
            """, GatewayTestHost.KeyStoreSettings(_data), configure: builder => builder.AddKeyStore().AddTokenAuthentication());
        var users = _gateway.Services.GetRequiredService<UserService>();
        await users.CreateAsync("dana", "correct horse", [], new AuditActor("test"));
        var (_, user) = await users.VerifyAsync("dana", "correct horse");
        _token = (await _gateway.Services.GetRequiredService<TokenService>().IssueAsync(user!, CancellationToken.None)).AccessToken;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    private Task<RawResponse> SendAsync(string method, bool signedIn, params (string Name, string Value)[] headers)
    {
        var all = headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList();
        if (signedIn) all.Add(KeyValuePair.Create("Authorization", "Bearer " + _token));
        // The declared body is never sent: an answer can only come from a gateway that did not wait for it.
        return RawHttp.SendAsync(_gateway.BaseAddress.Port, method, "/both", all, timeout: TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Anonymous_HugeDeclaredBody_Is401_BeforeTheBodyIsRead()
    {
        var before = _backend.RequestCount;
        var response = await SendAsync("POST", signedIn: false, ("Content-Type", "application/json"), ("Content-Length", "2000000000"));
        Assert.That(response.Status, Is.EqualTo(401));
        Assert.That(response.Headers["WWW-Authenticate"], Does.StartWith("Bearer"));
        Assert.That(_backend.RequestCount, Is.EqualTo(before), "nothing forwarded");
    }

    [Test]
    public async Task SignedIn_DeclaredBodyOverThePartsLimit_Is413_Unread()
    {
        var response = await SendAsync("POST", signedIn: true, ("Content-Type", "application/json"), ("Content-Length", "2000000000"));
        Assert.That(response.Status, Is.EqualTo(413));
        Assert.That(response.Headers["Content-Type"], Does.StartWith("application/problem+json"));
    }

    [Test]
    public async Task SignedIn_GetWithABody_Is400()
    {
        var response = await RawHttp.SendAsync(_gateway.BaseAddress.Port, "GET", "/both", [KeyValuePair.Create("Authorization", "Bearer " + _token)],
            body: "hello", timeout: TimeSpan.FromSeconds(10));
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(response.Headers["Content-Type"], Does.StartWith("application/problem+json"));
    }

    [Test]
    public async Task SignedIn_ChunkedBodyOverTheLimit_Is413()
    {
        using var client = new HttpClient { BaseAddress = _gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/both") { Content = new StreamContent(new MemoryStream(new byte[5000])) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Authorization", "Bearer " + _token);
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task SignedIn_SmallBody_ReachesEveryPart()
    {
        using var client = new HttpClient { BaseAddress = _gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/both") { Content = new StringContent("""{"x":1}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Authorization", "Bearer " + _token);
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("/both")]
    [TestCase("/a")]
    [CancelAfter(30_000)]
    public async Task SignedIn_SlowBody_IsCutByKestrelsMinimumDataRate_NotHeldOpen(string path)
    {
        // 10 of 900 declared bytes, then nothing: Kestrel's MinRequestBodyDataRate (240 B/s after a 5 s grace) ends
        // the read, so a trickling client cannot hold the aggregate's buffer open.
        var before = _backend.RequestCount;
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {_token}\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{{\"x\":\"1234";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await RawHttp.SendRawAsync(_gateway.BaseAddress.Port, head, TimeSpan.FromSeconds(25));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "cut after the grace period, not held");
        if (path == "/both")
        {
            // The aggregate buffers: it had sent nothing yet.
            Assert.That(response.Status, Is.EqualTo(408), response.Body);
            Assert.That(_backend.RequestCount, Is.EqualTo(before), "nothing forwarded");
        }
        else
        {
            // A route streams the body to its backend as it arrives (holding nothing); the cut is the client's fault.
            Assert.That(response.Status, Is.InRange(400, 499), response.Body);
        }
        Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"));
    }
}
