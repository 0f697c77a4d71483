namespace Bff.Shared.Configuration.File;

internal class FileAuthenticationOptions
{
    public List<string>? AuthenticationProviderKeys { get; set; }
    /// <summary>Obsolete single key; merged in front of <see cref="AuthenticationProviderKeys"/>.</summary>
    public string? AuthenticationProviderKey { get; set; }
    public List<string>? AllowedScopes { get; set; }
    public bool? AllowAnonymous { get; set; }

    public IEnumerable<string> AllKeys()
    {
        if (!string.IsNullOrWhiteSpace(AuthenticationProviderKey)) yield return AuthenticationProviderKey;
        foreach (var key in AuthenticationProviderKeys ?? [])
            if (!string.IsNullOrWhiteSpace(key)) yield return key;
    }
}
