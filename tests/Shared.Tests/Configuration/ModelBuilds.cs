using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;
using Bff.Shared.Routing;

namespace Bff.Shared.Tests.Configuration;

/// <summary>Builds a gateway model from one route file written to a temporary folder, as a host would load it.</summary>
internal static class ModelBuilds
{
    public static (GatewayModel? Model, List<ConfigError> Errors) Build(
        string json, string name = "ocelot.json", IReadOnlySet<string>? aggregators = null, IReadOnlySet<string>? schemes = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        using var folder = new TempFolder();
        var file = folder.Write(name, json);
        using var invokers = new HttpInvokerPool();
        return GatewayModelBuilder.Build(OcelotFileLoader.Load(file, "Testing"),
            new ModelBuildContext(invokers, key => settings?.GetValueOrDefault(key), 1, DateTimeOffset.UnixEpoch, aggregators, schemes));
    }

    public static List<ConfigError> Errors(string json, string name = "ocelot.json") => Build(json, name).Errors;
}
