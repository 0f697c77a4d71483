namespace Bff.Shared.ApiKeys;

internal static class ApiKeyDefaults
{
    /// <summary>The authentication scheme name routes name in <c>AuthenticationProviderKey(s)</c>.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The only place a key is read from.</summary>
    public const string HeaderName = "X-Api-Key";

    public const string ClientIdClaim = "client_id";
    public const string KeyIdClaim = "key_id";
    public const string ScopeClaim = "scope";
    public const string PlanClaim = "plan";

    /// <summary>The identity the ApiKey scheme signed in — the partner behind the call — or null.</summary>
    internal static System.Security.Claims.ClaimsIdentity? PartnerOf(System.Security.Claims.ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            // A partner by API key or by OAuth client credentials: the same client, plan, quotas and limits.
            if (identity.IsAuthenticated && identity.AuthenticationType is Scheme or ClientCredentials.ClientCredentialsDefaults.Scheme) return identity;
        }
        return null;
    }
}
