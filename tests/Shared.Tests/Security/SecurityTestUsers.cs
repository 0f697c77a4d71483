using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Security;

/// <summary>Signed-in callers for the security tests: a real user in the test key store and a real access token.</summary>
internal static class SecurityTestUsers
{
    /// <summary>Creates <paramref name="username"/> and returns a bearer token for them carrying <paramref name="claims"/>
    /// (as an identity provider could put any value in a claim).</summary>
    public static async Task<string> TokenAsync(GatewayTestHost gateway, string username, IReadOnlyDictionary<string, string>? claims = null)
    {
        var users = gateway.Services.GetRequiredService<UserService>();
        var created = await users.CreateAsync(username, "correct horse battery", [], new AuditActor("test"));
        var identity = new UserIdentity(created.Id, username, [], claims ?? new Dictionary<string, string>());
        return (await gateway.Services.GetRequiredService<TokenService>().IssueAsync(identity, CancellationToken.None)).AccessToken;
    }
}
