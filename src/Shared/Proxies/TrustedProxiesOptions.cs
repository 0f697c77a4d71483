using System.Net;

namespace Bff.Shared.Proxies;

/// <summary>
/// The proxies in front of the gateway whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed
/// (<c>Gateway:KnownProxies</c>, <c>Gateway:KnownNetworks</c>). With neither set, the client address is the
/// connection's and no inbound forwarded header changes it.
/// </summary>
public sealed class TrustedProxiesOptions
{
    /// <summary><c>Gateway:KnownProxies</c>: IP addresses of trusted proxies (e.g. <c>10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary><c>Gateway:KnownNetworks</c>: CIDR networks of trusted proxies (e.g. <c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    internal bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>Every entry that is not an address (proxies) or a network (networks), named with its setting.</summary>
    internal IEnumerable<string> Errors()
    {
        for (var i = 0; i < KnownProxies.Length; i++)
            if (!IPAddress.TryParse(KnownProxies[i], out _))
                yield return $"Gateway:KnownProxies:{i} '{KnownProxies[i]}' is not an IP address";
        for (var i = 0; i < KnownNetworks.Length; i++)
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
                yield return $"Gateway:KnownNetworks:{i} '{KnownNetworks[i]}' is not a network in CIDR notation (such as 10.0.0.0/8)";
    }
}
