using System.Net;
using System.Net.Http.Json;

namespace Bff.Hosts.Tests.Common;

/// <summary>The checks every BFF host must pass; one derived fixture per host.</summary>
internal abstract class HostTests<TMarker>(string bff, string hostProject) where TMarker : class
{
    private HostFixture<TMarker> _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await HostFixture<TMarker>.StartAsync(bff);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    protected HttpClient CreateClient() => _host.CreateClient();

    /// <summary>Adds whatever credentials the host's routes need (the partner host: an API key).</summary>
    protected virtual Task AuthorizeAsync(HttpRequestMessage request, IServiceProvider services) => Task.CompletedTask;

    [Test]
    public async Task EveryRoute_InTheRouteFiles_ReachesItsBackendWithTheDownstreamPath()
    {
        var routes = RouteFileRoutes.For(bff).ToList();
        Assert.That(routes, Is.Not.Empty);
        using var client = _host.CreateClient();
        foreach (var route in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.UpstreamPath);
            if (route.Method is "POST" or "PUT" or "PATCH") request.Content = JsonContent.Create(new { sample = true });
            await AuthorizeAsync(request, _host.Services);
            var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), route.ToString());
            var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(echoed!.Backend, Is.EqualTo(route.Port), $"{route}: backend");
                Assert.That(echoed.PathAndQuery, Is.EqualTo(route.DownstreamPath), $"{route}: downstream path");
                Assert.That(echoed.Method, Is.EqualTo(route.Method), $"{route}: method");
            }
        }
    }

    [Test]
    public async Task UnknownPath_Is404ProblemJson()
    {
        using var client = _host.CreateClient();
        var response = await client.GetAsync("/no/such/route");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task ValidateCommand_OnTheRealRouteFiles_ExitsZero()
    {
        var (exit, output, error) = await HostProcess.RunAsync(hostProject, "validate");
        Assert.That(exit, Is.Zero, output + error);
        Assert.That(output, Does.Contain("valid"));
    }

    [Test]
    public async Task ValidateCommand_OnBrokenFile_ListsEveryErrorAndExitsOne()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ocelot.json", """
            { "Routes": [
              { "UpstreamPathTemplate": "no-slash", "DownstreamPathTemplate": "/x", "DownstreamHostAndPorts": [ { "Host": "h", "Port": 1 } ] },
              { "UpstreamPathTemplate": "/y", "DownstreamPathTemplate": "/y", "DownstreamHostAndPorts": [],
                "LoadBalancerOptions": { "Type": "Sticky" } } ] }
            """);
        var (exit, output, _) = await HostProcess.RunAsync(hostProject, "validate", file);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("3 error(s)"));
        Assert.That(output, Does.Contain($"{file}: Routes[0].UpstreamPathTemplate"));
        Assert.That(output, Does.Contain($"{file}: Routes[1].DownstreamHostAndPorts"));
        Assert.That(output, Does.Contain($"{file}: Routes[1].LoadBalancerOptions.Type: unknown load balancer 'Sticky'"));
    }

    [Test]
    public async Task Start_WithInvalidConfig_ExitsOneWithReadableErrorsAndNoStackTrace()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ocelot.json", """{ "Routes": [ { "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/b" } ] }""");
        var (exit, output, error) = await HostProcess.RunAsync(hostProject, $"--Gateway:ConfigPath={file}", "--urls=http://127.0.0.1:0");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("cannot start").And.Contain("Routes[0].DownstreamHostAndPorts"));
        Assert.That(output + error, Does.Not.Contain("   at "), "no stack trace");
    }
}
