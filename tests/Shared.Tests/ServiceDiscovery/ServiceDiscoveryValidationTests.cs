using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;

namespace Bff.Shared.Tests.ServiceDiscovery;

/// <summary>#19: ServiceName routes and ServiceDiscoveryProvider are validated with JSON paths.</summary>
internal sealed class ServiceDiscoveryValidationTests
{
    private static List<ConfigError> Errors(string json) => Bff.Shared.Tests.Configuration.ModelBuilds.Errors(json);

    private const string Route = """ "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/a" """;

    [Test]
    public void ServiceName_WithoutHosts_IsValid() =>
        Assert.That(Errors($$"""{ "Routes": [ { {{Route}}, "ServiceName": "orders" } ] }"""), Is.Empty);

    [TestCase(""", "ServiceName": "orders", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 1 } ]""", "Routes[0].ServiceName", "alternatives")]
    [TestCase(""", "ServiceName": "or/ders" """, "Routes[0].ServiceName", "is not a service name")]
    [TestCase(""", "ServiceNamespace": "prod", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 1 } ]""", "Routes[0].ServiceNamespace", "needs a ServiceName")]
    public void BadRoutes_AreErrorsAtTheirPath(string extra, string path, string message)
    {
        var errors = Errors($$"""{ "Routes": [ { {{Route}} {{extra}} } ] }""");
        Assert.That(errors.Select(e => (e.Path, e.Message)), Has.Some.Matches<(string Path, string Message)>(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)));
    }

    [TestCase("Configuration", null)]
    [TestCase("Aspire", null)]
    [TestCase("Consul", "not implemented yet")]
    [TestCase("Registry9", "unknown service discovery provider")]
    public void ProviderTypes(string type, string? message)
    {
        var errors = Errors($$"""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "{{type}}" } }, "Routes": [ { {{Route}}, "ServiceName": "orders" } ] }""");
        if (message is null) Assert.That(errors, Is.Empty);
        else Assert.That(errors.Single(), Has.Property("Path").EqualTo("GlobalConfiguration.ServiceDiscoveryProvider.Type").And.Property("Message").Contains(message));
    }
}
