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

    /// <summary>Development only: a user created at start when missing (the web demo's sign-in).</summary>
    public string? DemoUsername { get; set; }

    /// <summary>Development only: the demo user's password.</summary>
    public string? DemoPassword { get; set; }

    /// <summary>Development only: the demo user's claims (<c>Users:DemoClaims:customer_id</c> = 1 maps the demo user
    /// to the demo backends' customer 1).</summary>
    public Dictionary<string, string> DemoClaims { get; set; } = [];
}
