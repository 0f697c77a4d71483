using System.Net;
using System.Text.Json.Nodes;
using Bff.Shared.KeyStore;
using Bff.Shared.Tests.KeyStore;

namespace Bff.Shared.Tests.RateLimiting;

/// <summary>A partner's plan (key store) limits every partner route, counted per client across key rotation.</summary>
internal sealed class PlanQuotaTests
{
    [Test]
    public async Task PlanQuota_IsCountedPerClient_AcrossRoutesAndKeyRotation()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await KeyStoreGateway.StartAsync($$"""
            { "Routes": [
                { "UpstreamPathTemplate": "/orders", "DownstreamPathTemplate": "/orders", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] },
                { "UpstreamPathTemplate": "/payments", "DownstreamPathTemplate": "/payments", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                  "RateLimitOptions": { "Limit": 100, "Period": "1s" } } ],
              "GlobalConfiguration": { "AuthenticationOptions": { "AuthenticationProviderKey": "ApiKey" } } }
            """);
        PlanLimit.TryParse("100/1s", out var rate);
        PlanLimit.TryParse("4/1d", out var quota);
        await gateway.Store.SetPlanAsync("starter", rate, quota, KeyStoreGateway.Tester);
        await gateway.Store.CreateClientAsync("acme", "starter", KeyStoreGateway.Tester);
        var first = await gateway.NewKeyAsync("any");

        async Task<HttpResponseMessage> Call(string path, string key)
        {
            using var client = gateway.Host.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", key);
            return await client.SendAsync(request);
        }

        var one = await Call("/orders", first.Key);
        Assert.That(one.Headers.GetValues("RateLimit-Policy").Single(), Is.EqualTo("\"plan-rate\";q=100;w=1, \"plan-quota\";q=4;w=86400"));
        Assert.That((await Call("/payments", first.Key)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "plan and route limits together");
        var second = await gateway.Store.RotateKeyAsync(first.Id, TimeSpan.Zero, KeyStoreGateway.Tester);
        Assert.That((await Call("/orders", second.Key)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Call("/payments", second.Key)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var refused = await Call("/orders", second.Key);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "rotation did not reset the quota");
        Assert.That(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["violated-policies"]!.AsArray().Select(p => p!.GetValue<string>()),
            Is.EqualTo(new[] { "plan-quota" }));
    }
}
