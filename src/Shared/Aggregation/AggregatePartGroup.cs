namespace Bff.Shared.Aggregation;

/// <summary>The answers of one RouteKey: one call, or one per chained value.</summary>
internal sealed record AggregatePartGroup(string Key, bool Chained, List<AggregatePart> Calls);
