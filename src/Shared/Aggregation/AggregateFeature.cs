namespace Bff.Shared.Aggregation;

/// <summary>The aggregate a request matched, with the aggregate template's placeholder values.</summary>
internal sealed class AggregateFeature(AggregateModel aggregate, List<KeyValuePair<string, string>> placeholders)
{
    public AggregateModel Aggregate { get; } = aggregate;
    public List<KeyValuePair<string, string>> Placeholders { get; } = placeholders;
}
