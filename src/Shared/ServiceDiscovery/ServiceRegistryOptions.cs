using Bff.Shared.Configuration.File;

namespace Bff.Shared.ServiceDiscovery;

/// <summary>
/// <c>GlobalConfiguration.ServiceDiscoveryProvider</c> as a registry client needs it: the canonical provider
/// <see cref="Type"/> and where the registry is. Equal options share one client. <see cref="ToString"/> leaves the
/// token out, so the options can be logged.
/// </summary>
internal sealed record ServiceRegistryOptions(
    string Type, string Scheme, string? Host, int Port, string? Token, string? Namespace, TimeSpan PollingInterval, int? FallbackPort)
{
    public const string Configuration = "Configuration";
    public const string Dns = "Dns";
    public const string Kube = "Kube";
    public const string PollKube = "PollKube";
    public const string WatchKube = "WatchKube";
    public const string Consul = "Consul";
    public const string PollConsul = "PollConsul";

    /// <summary>The providers this gateway implements, by Ocelot's name (<c>Aspire</c> is <c>Configuration</c>).</summary>
    public static readonly string[] Types = [Configuration, "Aspire", Dns, Kube, PollKube, WatchKube, Consul, PollConsul];

    /// <summary>The Configuration provider, which needs no settings (the default without a Type).</summary>
    public static readonly ServiceRegistryOptions Default = new(Configuration, "http", null, 0, null, null, TimeSpan.Zero, null);

    public static ServiceRegistryOptions From(FileServiceDiscoveryProvider? provider)
    {
        if (provider?.Type is not { Length: > 0 } type) return Default;
        var canonical = Types.FirstOrDefault(t => t.Equals(type, StringComparison.OrdinalIgnoreCase)) ?? type;
        if (canonical == "Aspire") canonical = Configuration;
        return new ServiceRegistryOptions(canonical, string.IsNullOrWhiteSpace(provider.Scheme) ? "http" : provider.Scheme.ToLowerInvariant(),
            string.IsNullOrWhiteSpace(provider.Host) ? null : provider.Host, provider.Port, string.IsNullOrEmpty(provider.Token) ? null : provider.Token,
            string.IsNullOrWhiteSpace(provider.Namespace) ? null : provider.Namespace, TimeSpan.FromMilliseconds(Math.Max(0, provider.PollingInterval)),
            provider.FallbackPort);
    }

    /// <summary>Polls instead of waiting for the registry's change notifications.</summary>
    public bool Polls => Type is PollKube or PollConsul;

    public override string ToString() => Host is null ? Type : $"{Type} at {Scheme}://{Host}:{Port}";
}
