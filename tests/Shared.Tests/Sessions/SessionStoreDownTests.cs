using System.Net;

namespace Bff.Shared.Tests.Sessions;

/// <summary>Redis (the session store) down entirely — no master, no replica: a session route answers 503
/// problem+json with Retry-After, never 500, and nothing is forwarded.</summary>
[Category("Redis")]
internal sealed class SessionStoreDownTests
{
    [Test]
    public async Task RedisDown_SessionRoute503WithRetryAfter_NotForwarded()
    {
        await using var redis = await RedisServer.StartAsync();
        var calls = 0;
        await using var backend = await TestBackend.StartAsync(context => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        using var data = new TempFolder();
        await using var gateway = await SessionGateway.StartAsync($$"""
            { "Routes": [ { "UpstreamPathTemplate": "/me", "DownstreamPathTemplate": "/me",
                "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ],
                "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } } ] }
            """, data, redis.ConnectionString);
        await gateway.CreateUserAsync("alice", "correct horse");
        using var browser = gateway.Browser();
        Assert.That((await browser.LoginAsync("alice", "correct horse")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await browser.SendAsync(HttpMethod.Get, "/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(calls, Is.EqualTo(1));

        await redis.KillAsync();
        var down = await browser.SendAsync(HttpMethod.Get, "/me");

        Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(down.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(down.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(calls, Is.EqualTo(1), "not forwarded");
    }
}
