using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Bff.Shared.ApiKeys;

/// <summary>
/// The API key format: <c>bffk_&lt;env&gt;_&lt;id:12&gt;&lt;secret:32&gt;&lt;checksum:6&gt;</c>, all base62. The fixed
/// prefix lets secret scanners recognise a leaked key; the id (public) finds the stored hash; the CRC-32 checksum
/// (GitHub's idea) rejects typos and random strings without touching the database.
/// </summary>
internal static class ApiKeyCodec
{
    public const string Prefix = "bffk_";
    public const int IdLength = 12;
    public const int SecretLength = 32;
    public const int ChecksumLength = 6;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new random key for <paramref name="environment"/> (e.g. live, test).</summary>
    public static (string Key, string Id) Generate(string environment, string prefix = Prefix)
    {
        var id = RandomBase62(IdLength);
        var body = $"{prefix}{environment}_{id}{RandomBase62(SecretLength)}";
        return (body + Checksum(body), id);
    }

    /// <summary>Checks the shape and the checksum; on success gives the environment and the public id.</summary>
    public static bool TryParse(string? key, out string environment, out string id) => TryParse(key, Prefix, out environment, out id);

    /// <summary>The same format under another prefix (OAuth client secrets: <c>bffcs_</c>).</summary>
    public static bool TryParse(string? key, string prefix, out string environment, out string id)
    {
        environment = id = "";
        if (key is null || !key.StartsWith(prefix, StringComparison.Ordinal) || key.Length > 200) return false;
        var underscore = key.IndexOf('_', prefix.Length);
        if (underscore < 0) return false;
        var env = key[prefix.Length..underscore];
        var rest = key[(underscore + 1)..];
        if (env.Length is 0 or > 20 || !env.All(char.IsAsciiLetterOrDigit)) return false;
        if (rest.Length != IdLength + SecretLength + ChecksumLength || !rest.All(char.IsAsciiLetterOrDigit)) return false;
        var body = key[..^ChecksumLength];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Checksum(body)), Encoding.ASCII.GetBytes(key[^ChecksumLength..])))
            return false;
        environment = env;
        id = rest[..IdLength];
        return true;
    }

    /// <summary>HMAC-SHA-256 of the whole key under the server pepper: what the database stores.</summary>
    public static byte[] Hash(string key, byte[] pepper) => HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(key));

    private static string Checksum(string body)
    {
        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body));
        var chars = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }
        return new string(chars);
    }

    private static string RandomBase62(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
