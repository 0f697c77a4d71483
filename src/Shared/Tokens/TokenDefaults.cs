namespace Bff.Shared.Tokens;

internal static class TokenDefaults
{
    /// <summary>The authentication scheme mobile routes name in <c>AuthenticationProviderKey</c>.</summary>
    public const string Scheme = "Bearer";
    internal const string LocalScheme = "Bearer.Gateway";
    internal const string ExternalScheme = "Bearer.External";
}
