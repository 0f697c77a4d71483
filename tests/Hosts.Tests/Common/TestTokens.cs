using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Common;

/// <summary>Bearer tokens for host tests, issued by the host's own token service.</summary>
internal static class TestTokens
{
    /// <summary>The demo backends' customer the test users are mapped to unless a test says otherwise.</summary>
    public const string DefaultCustomer = "1";

    /// <summary>Creates the user when needed (mapped to the demo backends' customer <paramref name="customerId"/>,
    /// or to none when null) and returns a fresh access token.</summary>
    public static async Task<string> AccessTokenAsync(IServiceProvider services, string username = "mobile-tester", string? customerId = DefaultCustomer)
    {
        var users = services.GetRequiredService<UserService>();
        if (!(await users.ListAsync()).Any(u => u.Username == username))
            await users.CreateAsync(username, "test-password-1", [], Claims(customerId), new AuditActor("test:hosts"));
        var (_, user) = await users.VerifyAsync(username, "test-password-1");
        return (await services.GetRequiredService<TokenService>().IssueAsync(user!, CancellationToken.None)).AccessToken;
    }

    public static Dictionary<string, string> Claims(string? customerId) =>
        customerId is null ? [] : new() { ["customer_id"] = customerId };
}
