using System.Net;
using System.Net.Http.Json;

namespace Bff.Shared.Tests.Security;

/// <summary>#17 item 7: <c>Port: 0</c> means the port the request arrived on, never the port in the client's Host
/// header (which could name any local port — here, a backend the route does not point at).</summary>
internal sealed class PortZeroTests
{
    [Test]
    public async Task PortZero_UsesTheArrivalPort_NotTheHostHeader()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync($$"""
            { "Routes": [
                { "UpstreamPathTemplate": "/loop", "DownstreamPathTemplate": "/target",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": 0 } ] },
                { "UpstreamPathTemplate": "/target", "DownstreamPathTemplate": "/via-gateway",
                  "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ] }
            """);
        using var client = gateway.CreateClient();
        // The client names the backend's port in Host: the old rule sent /target straight to it.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/loop") { Headers = { Host = $"127.0.0.1:{backend.Port}" } };
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.That(echoed!.PathAndQuery, Is.EqualTo("/via-gateway"), "went to the gateway's own port, then its /target route");
    }
}
