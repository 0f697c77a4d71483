namespace Bff.Shared.ClientCredentials;

/// <summary>OAuth 2.0 client credentials for partners (<c>ClientCredentials</c> section).</summary>
public sealed class ClientCredentialsOptions
{
    public const string SectionName = "ClientCredentials";

    /// <summary>How long an issued access token is valid (default 5 min, at most 1 h): a revoked secret or a disabled
    /// client stops getting tokens at once, and the tokens it holds end within this time.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
