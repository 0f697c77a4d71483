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
    [TestCase(""", "ServiceName": "orders", "ServiceNamespace": "a/b" """, "Routes[0].ServiceNamespace", "is not a namespace name")]
    [TestCase(""", "ServiceNamespace": "prod", "DownstreamHostAndPorts": [ { "Host": "localhost", "Port": 1 } ]""", "Routes[0].ServiceNamespace", "needs a ServiceName")]
    public void BadRoutes_AreErrorsAtTheirPath(string extra, string path, string message)
    {
        var errors = Errors($$"""{ "Routes": [ { {{Route}} {{extra}} } ] }""");
        Assert.That(errors.Select(e => (e.Path, e.Message)), Has.Some.Matches<(string Path, string Message)>(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)));
    }

    [TestCase("Configuration", null)]
    [TestCase("Aspire", null)]
    [TestCase("Dns", null)]
    [TestCase("Kube", null)]
    [TestCase("WatchKube", null)]
    [TestCase("consul", null)]
    [TestCase("Eureka", "not implemented by this gateway")]
    [TestCase("ServiceFabric", "not implemented by this gateway")]
    [TestCase("Registry9", "unknown service discovery provider")]
    public void ProviderTypes(string type, string? message)
    {
        var errors = Errors($$"""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "{{type}}" } }, "Routes": [ { {{Route}}, "ServiceName": "orders" } ] }""");
        if (message is null) Assert.That(errors, Is.Empty);
        else Assert.That(errors.Single(), Has.Property("Path").EqualTo("GlobalConfiguration.ServiceDiscoveryProvider.Type").And.Property("Message").Contains(message));
    }

    [TestCase("""{ "Type": "PollConsul", "Host": "127.0.0.1", "Port": 8500 }""", "PollingInterval", "needs a PollingInterval")]
    [TestCase("""{ "Type": "PollKube", "PollingInterval": 0 }""", "PollingInterval", "needs a PollingInterval")]
    [TestCase("""{ "Type": "Consul", "Port": 70000 }""", "Port", "is not a port number")]
    [TestCase("""{ "Type": "Dns", "FallbackPort": 0 }""", "FallbackPort", "is not a port number")]
    [TestCase("""{ "Type": "Kube", "Scheme": "ftp", "Host": "10.0.0.1" }""", "Scheme", "is not http or https")]
    [TestCase("""{ "Type": "Consul", "Host": "bad host!" }""", "Host", "is not a host name")]
    public void BadProviderSettings_AreErrorsAtTheirPath(string provider, string property, string message)
    {
        var errors = Errors($$"""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": {{provider}} }, "Routes": [ { {{Route}}, "ServiceName": "orders" } ] }""");
        Assert.That(errors.Single(), Has.Property("Path").EqualTo($"GlobalConfiguration.ServiceDiscoveryProvider.{property}").And.Property("Message").Contains(message));
    }

    [Test]
    public void PollingProviders_WithAnInterval_AreValid() =>
        Assert.That(Errors($$"""{ "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Type": "PollConsul", "Host": "127.0.0.1", "Port": 8500, "PollingInterval": 500, "Token": "t" } }, "Routes": [ { {{Route}}, "ServiceName": "orders" } ] }"""), Is.Empty);
}
