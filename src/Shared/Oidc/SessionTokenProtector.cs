using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Bff.Shared.Oidc;

/// <summary>Encrypts a session's tokens at rest with ASP.NET Core Data Protection (keys shared by the replicas through
/// Redis when it is configured), so the session store never holds a usable token.</summary>
internal sealed class SessionTokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Bffs.Sessions.Tokens.v1");

    public string Protect(UserTokens tokens) => _protector.Protect(JsonSerializer.Serialize(tokens));

    /// <summary>The tokens, or null when there are none or they cannot be read (keys lost, tampered).</summary>
    public UserTokens? Unprotect(string? protectedTokens)
    {
        if (string.IsNullOrEmpty(protectedTokens)) return null;
        try
        {
            return JsonSerializer.Deserialize<UserTokens>(_protector.Unprotect(protectedTokens));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
