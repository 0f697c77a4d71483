namespace Bff.Shared.ClientCredentials;

internal static class ClientCredentialsDefaults
{
    /// <summary>The route scheme (<c>AuthenticationProviderKeys: ["ApiKey", "ClientCredentials"]</c>).</summary>
    public const string Scheme = "ClientCredentials";

    /// <summary>The audience of the gateway's client-credentials tokens (never accepted as a mobile user token).</summary>
    public const string Audience = "bffs-client-credentials";

    /// <summary>Client secrets: <c>bffcs_&lt;env&gt;_…</c>, the API key format under its own prefix.</summary>
    public const string SecretPrefix = "bffcs_";

    public const string TokenPath = "/oauth/token";
}
