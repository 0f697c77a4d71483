namespace Bff.Shared.KeyStore;

// The key store's tables. Times are UTC DateTime (SQLite compares them as ISO text; SQL Server as datetime2).

/// <summary>A user (<c>users</c>) of the web and mobile BFFs.</summary>
internal sealed class UserEntity
{
    public required string Id { get; set; }
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary>Comma-separated roles.</summary>
    public string Roles { get; set; } = "";
    /// <summary>Claims the gateway asserts for the user (e.g. <c>customer_id</c>), as a JSON object of type → value.</summary>
    public string Claims { get; set; } = "";
    public int FailedLogins { get; set; }
    public DateTime? LockoutEnd { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }
    public bool Disabled { get; set; }
}
