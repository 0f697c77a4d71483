using Bff.Mobile.Home;

namespace Microsoft.Extensions.Hosting;

/// <summary>What only the mobile BFF has.</summary>
internal static class MobileExtensions
{
    /// <summary>The "MobileHome" aggregator used by ocelot/mobile's home-screen aggregate.</summary>
    public static IHostApplicationBuilder AddMobileAggregators(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBffAggregator<MobileHomeAggregator>(MobileHomeAggregator.Name);
        return builder;
    }
}
