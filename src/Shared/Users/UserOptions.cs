namespace Bff.Shared.Users;

/// <summary>User account settings (<c>Users</c> section).</summary>
public sealed class UserOptions
{
    public const string SectionName = "Users";

    /// <summary><c>Users:MaxFailedLogins</c>: password checks of one username that may fail within
    /// <see cref="LockoutDuration"/> before it is locked (default 5). Each check takes its slot atomically before the
    /// password is compared, so concurrent guesses get no more checks than this; a successful sign-in frees them.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary><c>Users:LockoutDuration</c>: how long a locked username stays locked (default 15 min).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><c>Users:SignInLimitPerAddress</c>: sign-in requests (<c>/bff/login</c>, <c>/auth/token</c>,
    /// <c>/auth/refresh</c>) one client address may make per minute (default 20; 0 = no limit). More get 429.</summary>
    public int SignInLimitPerAddress { get; set; } = 20;

    /// <summary><c>Users:SignInLimitPerUser</c>: sign-in requests naming one username per minute, from all addresses
    /// together (default 10; 0 = no limit). More get 429.</summary>
    public int SignInLimitPerUser { get; set; } = 10;

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
