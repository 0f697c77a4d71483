using System.Net;
using System.Net.Http.Json;

namespace Bff.Shared.Tests.Observability;

/// <summary>The whole-run log secret scan (TestRunLog + LogSecretScan) finds what it should and harvests real flows.</summary>
internal sealed class SecretScanTests
{
    [Test]
    public void Find_ReportsASecretAnywhereInALine_AndNothingElse()
    {
        var secrets = new Dictionary<string, string> { ["bffs_live_0123456789abcdef"] = "api key", ["correct horse battery"] = "password" };
        string[] lines = ["Information Gateway: GET /orders 200", "Warning Auth: rejected key bffs_live_0123456789abcdef from 127.0.0.1", "Debug x: password was correct horse battery!", "Debug x: bffs_live_0123456789abcde"];

        var found = TestRunLog.Find(lines, secrets);

        Assert.That(found, Has.Count.EqualTo(2));
        Assert.That(found[0], Does.StartWith("api key").And.Contain("rejected key"));
        Assert.That(found[1], Does.StartWith("password"));
    }

    [Test]
    public void Harvest_TakesSecretFieldsFromJsonAndFormBodies_AndJwts()
    {
        var marker = Guid.NewGuid().ToString("N");
        TestRunLog.Harvest($$"""{"userName":"ann","password":"pw-{{marker}}","refresh_token":"rt_{{marker}}"}""", "test");
        TestRunLog.Harvest($"username=ann&password=form-{marker}", "test");

        Assert.That(TestRunLog.Knows($"pw-{marker}"), Is.True);
        Assert.That(TestRunLog.Knows($"rt_{marker}"), Is.True);
        Assert.That(TestRunLog.Knows($"form-{marker}"), Is.True);
        Assert.That(TestRunLog.Knows("ann"), Is.False, "short, non-secret values are not taken");

        var (apiKey, _) = Bff.Shared.ApiKeys.ApiKeyCodec.Generate("test");
        TestRunLog.Harvest($$"""{"key":"{{apiKey}}","parts":[{"key":"route-{{marker}}","status":502}]}""", "test");
        Assert.That(TestRunLog.Knows(apiKey), Is.True, "an API key in a \"key\" field");
        Assert.That(TestRunLog.Knows($"route-{marker}"), Is.False, "a \"key\" field that is not an API key (e.g. a route key) is not a secret");
    }

    [Test]
    public async Task ARealRequestThroughATestHost_RegistersItsCredentials_AndItsLogLinesReachTheRunLog()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [ { "UpstreamPathTemplate": "/x", "DownstreamPathTemplate": "/x", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ] }
            """);
        using var client = gateway.CreateClient();
        var marker = Guid.NewGuid().ToString("N");
        var lines = TestRunLog.LineCount;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Add("X-Api-Key", $"key-{marker}");
        request.Headers.Add("Cookie", $"session=cookie-{marker}");
        request.Headers.Authorization = new("Bearer", $"bearer-{marker}");
        Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.PostAsJsonAsync("/bff/login", new { userName = "nobody", password = $"password-{marker}" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        Assert.That(TestRunLog.Knows($"key-{marker}"), Is.True, "API key header");
        Assert.That(TestRunLog.Knows($"cookie-{marker}"), Is.True, "cookie");
        Assert.That(TestRunLog.Knows($"bearer-{marker}"), Is.True, "Authorization header");
        Assert.That(TestRunLog.Knows($"password-{marker}"), Is.True, "password in a sign-in body");
        Assert.That(TestRunLog.LineCount, Is.GreaterThan(lines), "the host's log lines are recorded");
    }
}
