using System.Collections.Concurrent;

namespace Bffs.IdentityProvider;

/// <summary>Token requests by grant type (<c>GET /diagnostics/token-requests</c>): how the tests count refreshes.</summary>
public sealed class TokenRequestCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Count(string? grantType) => _counts.AddOrUpdate(grantType ?? "", 1, (_, n) => n + 1);

    public int Of(string grantType) => _counts.GetValueOrDefault(grantType);

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts);
}
