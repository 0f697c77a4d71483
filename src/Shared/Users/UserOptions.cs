namespace Bff.Shared.Users;

/// <summary>User account settings (<c>Users</c> section).</summary>
public sealed class UserOptions
{
    /// <summary>Failed logins in a row before the account is locked.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Shortest accepted password.</summary>
    public int MinimumPasswordLength { get; set; } = 8;
}
