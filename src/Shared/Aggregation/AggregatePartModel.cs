using Bff.Shared.Routing;

namespace Bff.Shared.Aggregation;

/// <summary>One part of an aggregate: a route, and for chained parts where its parameter values come from.</summary>
internal sealed record AggregatePartModel(string Key, RouteModel Route, JsonPathQuery? JsonPath, string? Parameter)
{
    public bool IsChained => JsonPath is not null;
}
