namespace Bff.Shared.Aggregation;

/// <summary>
/// A custom aggregator, named by an aggregate's <c>Aggregator</c> property (Ocelot's <c>IDefinedAggregator</c>).
/// Register it with <c>AddBffAggregator&lt;T&gt;("Name")</c>. It receives every part — never null — and builds the
/// response.
/// </summary>
public interface IBffAggregator
{
    ValueTask<AggregateResponse> AggregateAsync(AggregateContext context, CancellationToken cancellationToken);
}
