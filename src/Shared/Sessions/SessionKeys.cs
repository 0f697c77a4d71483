using System.Security.Cryptography;
using System.Text;

namespace Bff.Shared.Sessions;

internal static class SessionKeys
{
    /// <summary>A new secret session id (32 random bytes, base64url) for the cookie.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The store key of a secret id.</summary>
    public static string KeyOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The public handle of a session (not enough to use it).</summary>
    public static string HandleOf(string key) => key[..16].ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
