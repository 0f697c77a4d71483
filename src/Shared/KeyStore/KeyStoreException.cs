namespace Bff.Shared.KeyStore;

/// <summary>An administrative request that cannot be done (unknown client, name taken …): 400/404/409.</summary>
internal sealed class KeyStoreException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}
