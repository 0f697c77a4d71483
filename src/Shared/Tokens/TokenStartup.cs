using Bff.Shared.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>Loads the signing keys when the host starts (creating the first one if there is none).</summary>
internal sealed class TokenStartup(SigningKeys keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => keys.WarmAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
