namespace Bff.Shared.Aggregation;

/// <summary>One <c>AddBffAggregator</c> call.</summary>
internal sealed record AggregatorRegistration(string Name);
