using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Aggregation;

/// <summary>The input of a custom aggregator.</summary>
/// <param name="HttpContext">The client's request (read only: the aggregator's answer is written for it).</param>
/// <param name="Parts">Every part in RouteKeys order (a chained key contributes one part per call).</param>
public sealed record AggregateContext(HttpContext HttpContext, IReadOnlyList<AggregatePart> Parts)
{
    /// <summary>The first part with this key, or null.</summary>
    public AggregatePart? Part(string key) => Parts.FirstOrDefault(p => p.Key == key);
}
