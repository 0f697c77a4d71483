using Bff.Shared.Aggregation;

namespace Microsoft.Extensions.DependencyInjection;

public static class AggregationServiceCollectionExtensions
{
    /// <summary>Registers a custom aggregator under the name aggregates use in their <c>Aggregator</c> property.</summary>
    public static IServiceCollection AddBffAggregator<TAggregator>(this IServiceCollection services, string name)
        where TAggregator : class, IBffAggregator
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddKeyedSingleton<IBffAggregator, TAggregator>(name);
        services.AddSingleton(new AggregatorRegistration(name));
        return services;
    }
}
