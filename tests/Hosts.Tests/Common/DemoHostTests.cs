namespace Bff.Hosts.Tests.Common;

/// <summary>A host with its real route files against the real demo backends (one process for the assembly).</summary>
internal abstract class DemoHostTests<TMarker>(string bff) where TMarker : class
{
    private HostFixture<TMarker> _host = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected IServiceProvider Services => _host.Services;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _host = HostFixture<TMarker>.Start(bff, (await DemoBackendsFixture.Backends).Port);
        Client = _host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }
}
