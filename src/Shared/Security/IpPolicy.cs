using System.Net;
using System.Net.Sockets;

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

internal readonly struct IpRange
{
    private readonly byte[] _first;
    private readonly byte[] _last;

    private IpRange(byte[] first, byte[] last)
    {
        _first = first;
        _last = last;
    }

    public bool Contains(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length) || length != _first.Length) return false;
        bytes = bytes[..length];
        return bytes.SequenceCompareTo(_first) >= 0 && bytes.SequenceCompareTo(_last) <= 0;
    }

    public static bool TryParse(string entry, out IpRange range)
    {
        range = default;
        var text = entry.Trim();
        var slash = text.IndexOf('/');
        if (slash > 0)
        {
            if (!IPAddress.TryParse(text[..slash], out var network)) return false;
            var maskText = text[(slash + 1)..];
            int prefix;
            if (maskText.Contains('.') && IPAddress.TryParse(maskText, out var mask) && mask.AddressFamily == AddressFamily.InterNetwork && network.AddressFamily == AddressFamily.InterNetwork)
                prefix = PrefixLength(mask.GetAddressBytes());
            else if (!int.TryParse(maskText, out prefix)) return false;
            var bits = network.GetAddressBytes().Length * 8;
            if (prefix < 0 || prefix > bits) return false;
            var first = network.GetAddressBytes();
            var last = (byte[])first.Clone();
            for (var bit = prefix; bit < bits; bit++)
            {
                first[bit / 8] &= (byte)~(0x80 >> (bit % 8));
                last[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
            range = new IpRange(first, last);
            return true;
        }

        var dash = text.IndexOf('-');
        if (dash > 0)
        {
            if (!IPAddress.TryParse(text[..dash], out var from)) return false;
            var toText = text[(dash + 1)..];
            byte[] to;
            if (IPAddress.TryParse(toText, out var toAddress)) to = toAddress.GetAddressBytes();
            else if (from.AddressFamily == AddressFamily.InterNetwork && byte.TryParse(toText, out var lastOctet))
            {
                to = from.GetAddressBytes();
                to[3] = lastOctet;
            }
            else return false;
            var fromBytes = from.GetAddressBytes();
            if (fromBytes.Length != to.Length || fromBytes.AsSpan().SequenceCompareTo(to) > 0) return false;
            range = new IpRange(fromBytes, to);
            return true;
        }

        if (!IPAddress.TryParse(text, out var single)) return false;
        var b = single.GetAddressBytes();
        range = new IpRange(b, b);
        return true;
    }

    private static int PrefixLength(byte[] mask)
    {
        var count = 0;
        foreach (var b in mask)
            for (var bit = 7; bit >= 0; bit--)
            {
                if ((b & (1 << bit)) == 0) return count;
                count++;
            }
        return count;
    }
}
