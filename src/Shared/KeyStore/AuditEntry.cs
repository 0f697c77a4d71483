namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>One administrative change (<c>audit_log</c>).</summary>
internal sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? SourceIp { get; set; }
    public required string Outcome { get; set; }
    public string? Details { get; set; }
}
