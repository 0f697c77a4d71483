namespace Bff.Shared.ServiceDiscovery;

/// <summary>A client of one service registry (one per provider configuration).</summary>
internal interface IServiceRegistry
{
    /// <summary>
    /// The service's instances: the current set at once, then a new set whenever the registry may have changed (a
    /// watch event, a blocking query's answer, a record's TTL, a poll). An empty set is the registry's answer "none"; an
    /// exception is a failure. The caller keeps the last set in either case and watches again.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<(string Host, int Port)>> WatchAsync(DiscoveredService service, CancellationToken cancellationToken);
}
