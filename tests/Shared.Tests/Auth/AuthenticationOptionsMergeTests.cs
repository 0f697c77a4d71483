using Bff.Shared.Auth;
using Bff.Shared.Tests.Configuration;

namespace Bff.Shared.Tests.Auth;

/// <summary>
/// AuthenticationOptions merge with the global section by Ocelot's rule (schema §3.1), through the one route-else-global
/// merge plus the auth rule on top: a route that names any provider (Key or Keys) takes both from itself; scopes and
/// AllowAnonymous fall back to the global values when the route leaves them unset; RouteKeys limit the global section.
/// </summary>
internal sealed class AuthenticationOptionsMergeTests
{
    private static readonly HashSet<string> Schemes = ["A", "B", "G1", "G2"];

    private static RouteAuthModel? AuthOf(string global, string route)
    {
        var (model, errors) = ModelBuilds.Build($$"""
            { "GlobalConfiguration": { {{global}} },
              "Routes": [ { "Key": "r", "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/a",
                "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 5001 } ] {{route}} } ] }
            """, schemes: Schemes);
        Assert.That(errors, Is.Empty);
        return model!.Routes.Single().Auth;
    }

    private const string Global = """ "AuthenticationOptions": { "AuthenticationProviderKeys": ["G1", "G2"], "AllowedScopes": ["g:read"] } """;

    [Test]
    public void RouteWithoutOptions_TakesTheGlobalSection()
    {
        var auth = AuthOf(Global, "");
        Assert.That(auth!.Schemes, Is.EqualTo(new[] { "G1", "G2" }));
        Assert.That(auth.AllowedScopes, Is.EqualTo(new[] { "g:read" }));
    }

    [TestCase(""" "AuthenticationProviderKey": "A" """, new[] { "A" })]
    [TestCase(""" "AuthenticationProviderKeys": ["A", "B"] """, new[] { "A", "B" })]
    public void RouteNamingAProvider_TakesItsProvidersOnly_AndTheGlobalScopes(string providers, string[] expected)
    {
        var auth = AuthOf(Global, $$""", "AuthenticationOptions": { {{providers}} }""");
        Assert.That(auth!.Schemes, Is.EqualTo(expected), "never mixed with the global providers");
        Assert.That(auth.AllowedScopes, Is.EqualTo(new[] { "g:read" }), "unset scopes come from the global section");
    }

    [Test]
    public void RouteScopes_WinOverTheGlobalOnes()
    {
        var auth = AuthOf(Global, """, "AuthenticationOptions": { "AllowedScopes": ["r:write"] }""");
        Assert.That(auth!.Schemes, Is.EqualTo(new[] { "G1", "G2" }));
        Assert.That(auth.AllowedScopes, Is.EqualTo(new[] { "r:write" }));
    }

    [Test]
    public void RouteAllowAnonymous_TurnsTheGlobalSectionOff()
    {
        Assert.That(AuthOf(Global, """, "AuthenticationOptions": { "AllowAnonymous": true }"""), Is.Null);
    }

    [Test]
    public void GlobalRouteKeys_LimitTheGlobalSection_ToTheRoutesTheyName()
    {
        var (model, errors) = ModelBuilds.Build("""
            { "GlobalConfiguration": { "AuthenticationOptions": { "AuthenticationProviderKeys": ["G1"], "RouteKeys": ["r"] } },
              "Routes": [
                { "Key": "r", "UpstreamPathTemplate": "/r", "DownstreamPathTemplate": "/r", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 5001 } ] },
                { "Key": "s", "UpstreamPathTemplate": "/s", "DownstreamPathTemplate": "/s", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 5001 } ] } ] }
            """, schemes: Schemes);
        Assert.That(errors, Is.Empty);
        Assert.That(model!.Routes.Single(r => r.Key == "r").Auth!.Schemes, Is.EqualTo(new[] { "G1" }));
        Assert.That(model.Routes.Single(r => r.Key == "s").Auth, Is.Null, "a route the RouteKeys do not name stays anonymous");
    }
}
