using Bff.Shared.Forwarding;

namespace Bff.Shared.Configuration;

/// <summary>What building a model needs from the host.</summary>
internal sealed record ModelBuildContext(
    HttpInvokerPool Invokers, Func<string, string?> ConfigurationValue, int Version, DateTimeOffset Now,
    IReadOnlySet<string>? Aggregators = null, IReadOnlySet<string>? AuthenticationSchemes = null, TimeProvider? Time = null,
    bool OcelotEmptyPlaceholders = false, IReadOnlyList<string>? StripRequestHeaders = null,
    IReadOnlyList<string>? DiscoverableServices = null);
