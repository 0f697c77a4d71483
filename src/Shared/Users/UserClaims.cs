using System.Text.Json;
using System.Text.RegularExpressions;
using Bff.Shared.KeyStore;

namespace Bff.Shared.Users;

/// <summary>
/// A user's stored claims (<c>users create --claim customer_id=1</c>, <c>Users:DemoClaims</c>): what the gateway
/// asserts about the user to backends, read by route files as <c>Claims[customer_id] &gt; value</c>. Types are short
/// lower-case names; the gateway's own claims (sub, name, role, scope, client_id and the JWT registered names) cannot
/// be set this way, and values carry no control characters.
/// </summary>
internal static partial class UserClaims
{
    public const int MaxClaims = 20;
    public const int MaxValueLength = 200;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "sub", "name", "role", "roles", "scope", "client_id", "sid", "jti", "iss", "aud", "exp", "nbf", "iat", "amr", "acr",
        "auth_time", "azp", "nonce", "at_hash", "c_hash", Sessions.SessionDefaults.SessionIdClaim,
    };

    /// <summary>Parses <c>type=value</c> arguments (the CLI's repeated <c>--claim</c>).</summary>
    public static Dictionary<string, string> FromArguments(IEnumerable<string> arguments)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            var at = argument.IndexOf('=');
            if (at <= 0) throw new KeyStoreException($"--claim '{argument}' is not type=value.", 400);
            claims[argument[..at].Trim()] = argument[(at + 1)..].Trim();
        }
        return claims;
    }

    /// <summary>Validates and writes claims as stored (a JSON object); "" when there are none.</summary>
    public static string Serialize(IReadOnlyDictionary<string, string> claims)
    {
        if (claims.Count > MaxClaims) throw new KeyStoreException($"A user has at most {MaxClaims} claims.", 400);
        foreach (var (type, value) in claims)
        {
            if (!TypePattern().IsMatch(type)) throw new KeyStoreException($"Claim type '{type}' must be 1 to 64 lower-case letters, digits, '_', '-', '.' or ':', starting with a letter.", 400);
            if (Reserved.Contains(type)) throw new KeyStoreException($"Claim type '{type}' is set by the gateway itself and cannot be stored on a user.", 400);
            if (value.Length is 0 or > MaxValueLength || value.Any(char.IsControl))
                throw new KeyStoreException($"Claim '{type}' needs a value of 1 to {MaxValueLength} characters without control characters.", 400);
        }
        return claims.Count == 0 ? "" : JsonSerializer.Serialize(claims);
    }

    public static IReadOnlyDictionary<string, string> Parse(string stored) =>
        string.IsNullOrEmpty(stored)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? new Dictionary<string, string>();

    [GeneratedRegex("^[a-z][a-z0-9_.:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();
}
