namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A partner (<c>clients</c>): owns API keys, has a plan; quotas are counted per client.</summary>
internal sealed class ClientEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? PlanName { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool Disabled { get; set; }
}
