using System.Net;
using System.Net.Sockets;

namespace Bff.Shared.Security;

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
