using System.Net;

namespace Bff.Shared.Security;

/// <summary>
/// <c>SecurityOptions</c> (schema §5.7): entries are a single IP, a range <c>a-b</c>, a short range
/// <c>a.b.c.d-N</c>, <c>ip/mask</c> or CIDR (v4 and v6). Ocelot expands them into lists of addresses; we keep ranges.
/// Blocked → 403; a non-empty allow list that does not contain the address → 403.
/// </summary>
internal sealed class IpPolicy
{
    private readonly IpRange[] _allowed;
    private readonly IpRange[] _blocked;
    private readonly bool _excludeAllowedFromBlocked;

    private IpPolicy(IpRange[] allowed, IpRange[] blocked, bool excludeAllowedFromBlocked)
    {
        _allowed = allowed;
        _blocked = blocked;
        _excludeAllowedFromBlocked = excludeAllowedFromBlocked;
    }

    /// <summary>A SecurityOptions section's policy (null when both lists are empty); bad entries are reported as
    /// <c>SecurityOptions.IPAllowedList[i]</c> / <c>IPBlockedList[i]</c> of <paramref name="errors"/>.</summary>
    public static IpPolicy? Create(IReadOnlyList<string> allowed, IReadOnlyList<string> blocked, bool exclude, Configuration.ConfigErrorScope errors)
    {
        if (allowed.Count == 0 && blocked.Count == 0) return null;
        return new IpPolicy(Parse(allowed, "SecurityOptions.IPAllowedList", errors), Parse(blocked, "SecurityOptions.IPBlockedList", errors), exclude);
    }

    private static IpRange[] Parse(IReadOnlyList<string> entries, string property, Configuration.ConfigErrorScope errors)
    {
        var ranges = new List<IpRange>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (IpRange.TryParse(entries[i], out var range)) ranges.Add(range);
            else errors.Add($"{property}[{i}]", $"'{entries[i]}' is not an IP address, range (a-b, a.b.c.d-N), ip/mask or CIDR block");
        }
        return [.. ranges];
    }

    public bool IsAllowed(IPAddress? address)
    {
        if (address is null) return _allowed.Length == 0 && _blocked.Length == 0;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var inAllowed = Contains(_allowed, address);
        if (Contains(_blocked, address) && !(_excludeAllowedFromBlocked && inAllowed)) return false;
        return _allowed.Length == 0 || inAllowed;
    }

    private static bool Contains(IpRange[] ranges, IPAddress address)
    {
        foreach (var range in ranges)
            if (range.Contains(address)) return true;
        return false;
    }
}
