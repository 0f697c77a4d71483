using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Common;

/// <summary>Bearer tokens for host tests, issued by the host's own token service.</summary>
internal static class TestTokens
{
    public static async Task<string> AccessTokenAsync(IServiceProvider services, string username = "mobile-tester")
    {
        var users = services.GetRequiredService<UserService>();
        if (!(await users.ListAsync()).Any(u => u.Username == username))
            await users.CreateAsync(username, "test-password-1", [], new AuditActor("test:hosts"));
        var (_, user) = await users.VerifyAsync(username, "test-password-1");
        return (await services.GetRequiredService<TokenService>().IssueAsync(user!, CancellationToken.None)).AccessToken;
    }
}
