using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// The <c>Configuration</c>/<c>Aspire</c> provider: Microsoft.Extensions.ServiceDiscovery's resolver over the
/// <c>Services</c> section. A new answer follows the resolver's change token (a configuration reload), at the latest
/// a poll every 30 s — every second while it has no instance.
/// </summary>
internal sealed class ConfigurationServiceRegistry(ServiceEndpointResolver resolver, TimeProvider time) : IServiceRegistry
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EmptyPoll = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<IReadOnlyList<(string Host, int Port)>> WatchAsync(DiscoveredService service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var source = await resolver.GetEndpointsAsync(service.Query, cancellationToken);
            List<(string, int)> instances = [.. source.Endpoints.Select(e => HostAndPort(e.EndPoint)).OfType<(string, int)>()];
            yield return instances;
            await WaitAsync(source.ChangeToken, instances.Count == 0 ? EmptyPoll : Poll, cancellationToken);
        }
    }

    private async Task WaitAsync(IChangeToken change, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var registration = change.ActiveChangeCallbacks ? change.RegisterChangeCallback(static s => ((CancellationTokenSource)s!).Cancel(), woken) : null;
        try
        {
            await Task.Delay(poll, time, woken.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static (string, int)? HostAndPort(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => (dns.Host, dns.Port),
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        UriEndPoint uri => (uri.Uri.Host, uri.Uri.Port),
        _ => null,
    };
}
