namespace Bff.Shared.Aggregation;

/// <summary>The names of the registered custom aggregators (validation checks <c>Aggregator</c> against them).</summary>
internal sealed class AggregatorRegistry(IEnumerable<AggregatorRegistration> registrations)
{
    public IReadOnlySet<string> Names { get; } = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
}
