using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests;

/// <summary>One demo backends process for the whole test assembly (started on first use).</summary>
[SetUpFixture]
internal sealed class DemoBackendsFixture
{
    private static Task<DemoBackends>? _backends;

    public static Task<DemoBackends> Backends => _backends ??= DemoBackends.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_backends is { IsCompletedSuccessfully: true } started) await (await started).DisposeAsync();
    }
}
