namespace Bff.Shared.Oidc;

/// <summary>The BFF's own client-credentials token, fetched once and reused until a minute before it expires.</summary>
internal sealed class ClientAccessTokens(OidcProviderClient provider, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _current;

    /// <summary>The token; null when the provider does not issue one.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (Valid(_current) is { } token) return token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Valid(_current) is { } again) return again;
            _current = await provider.ClientCredentialsAsync(cancellationToken);
            return _current?.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Valid((string Token, DateTimeOffset ExpiresAt)? current) =>
        current is { } c && c.ExpiresAt - time.GetUtcNow() > TimeSpan.FromSeconds(60) ? c.Token : null;
}
