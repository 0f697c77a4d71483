using Bff.Shared.Oidc;
using Bff.Shared.Tests.Configuration;

namespace Bff.Shared.Tests.Oidc;

/// <summary>#20: a route's DownstreamToken is validated at its JSON path.</summary>
internal sealed class DownstreamTokenValidationTests
{
    private static readonly Dictionary<string, string> WithOidc = new() { ["Oidc:Authority"] = "https://login.example.com/" };

    private static string Route(string extra) => $$"""
        { "Routes": [ { "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/a", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 1 } ] {{extra}} } ] }
        """;

    [TestCase(""", "DownstreamToken": "Client" """, DownstreamTokenKind.Client)]
    [TestCase(""", "DownstreamToken": "userorclient" """, DownstreamTokenKind.UserOrClient)]
    [TestCase(""", "DownstreamToken": "User", "AuthenticationOptions": { "AuthenticationProviderKey": "Session" } """, DownstreamTokenKind.User)]
    [TestCase(""", "DownstreamToken": "None" """, DownstreamTokenKind.None)]
    [TestCase("", DownstreamTokenKind.None)]
    public void Valid(string extra, DownstreamTokenKind kind)
    {
        var (model, errors) = ModelBuilds.Build(Route(extra), schemes: new HashSet<string> { "Session" }, settings: WithOidc);
        Assert.That(errors, Is.Empty);
        Assert.That(model!.Routes.Single().DownstreamToken, Is.EqualTo(kind));
    }

    [TestCase(""", "DownstreamToken": "Admin" """, true, "is not User, Client, UserOrClient or None")]
    [TestCase(""", "DownstreamToken": "1" """, true, "is not User, Client, UserOrClient or None")]
    [TestCase(""", "DownstreamToken": "User" """, true, "needs a signed-in user")]
    [TestCase(""", "DownstreamToken": "Client", "DownstreamJwtAudience": "orders" """, true, "choose one")]
    [TestCase(""", "DownstreamToken": "Client" """, false, "configure the Oidc section")]
    public void Invalid_IsAnErrorAtItsPath(string extra, bool oidc, string message)
    {
        var (_, errors) = ModelBuilds.Build(Route(extra), schemes: new HashSet<string> { "Session" }, settings: oidc ? WithOidc : null);
        Assert.That(errors.Select(e => (e.Path, e.Message)), Has.Some.Matches<(string Path, string Message)>(e => e.Path == "Routes[0].DownstreamToken" && e.Message.Contains(message, StringComparison.Ordinal)),
            string.Join("\n", errors));
    }
}
