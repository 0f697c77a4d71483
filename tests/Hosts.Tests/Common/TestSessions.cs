using Bff.Shared.KeyStore;
using Bff.Shared.Sessions;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Common;

/// <summary>Signed-in web sessions for host tests, made through the host's own user and session services.</summary>
internal static class TestSessions
{
    /// <summary>Creates the user when needed and returns the Cookie header value of a fresh session.</summary>
    /// <remarks>The user is mapped to the demo backends' customer <paramref name="customerId"/> (none when null).</remarks>
    public static async Task<string> CookieAsync(IServiceProvider services, string username = "tester", string? customerId = TestTokens.DefaultCustomer)
    {
        var users = services.GetRequiredService<UserService>();
        if (!(await users.ListAsync()).Any(u => u.Username == username))
            await users.CreateAsync(username, "test-password-1", ["tester"], TestTokens.Claims(customerId), new AuditActor("test:hosts"));
        var (_, user) = await users.VerifyAsync(username, "test-password-1");
        var (secret, _) = await services.GetRequiredService<SessionService>().CreateAsync(user!, new DefaultHttpContext(), CancellationToken.None);
        return $"{SessionDefaults.CookieName}={secret}";
    }

    public static void SignIn(HttpRequestMessage request, string cookie)
    {
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add(SessionDefaults.CsrfHeader, "1");
    }
}
