using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;

namespace Bff.Shared.Tests.Aggregation;

internal sealed class AggregateValidationTests
{
    private static List<ConfigError> Errors(string aggregates, string extraRoute = "", string[]? aggregators = null) =>
        Bff.Shared.Tests.Configuration.ModelBuilds.Build($$"""
            { "Routes": [
                { "Key": "a", "UpstreamPathTemplate": "/a", "DownstreamPathTemplate": "/a", "DownstreamHostAndPorts": [ { "Host": "h", "Port": 1 } ] },
                { "Key": "b", "UpstreamPathTemplate": "/b", "DownstreamPathTemplate": "/b", "DownstreamHostAndPorts": [ { "Host": "h", "Port": 1 } ] {{extraRoute}} } ],
              "Aggregates": [ {{aggregates}} ] }
            """, aggregators: (aggregators ?? []).ToHashSet()).Errors;

    [Test]
    public void Valid_Aggregate_HasNoErrors() =>
        Assert.That(Errors("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"], "FailureMode": "strict", "Required": ["a"], "TimeoutMs": 100 }"""), Is.Empty);

    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "zzz"] }""", "Aggregates[0].RouteKeys", "either do not exist")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": [] }""", "Aggregates[0].RouteKeys", "at least one RouteKey")]
    [TestCase("""{ "UpstreamPathTemplate": "ab", "RouteKeys": ["a"] }""", "Aggregates[0].UpstreamPathTemplate", "doesnt start with forward slash")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"], "RouteKeysConfig": [ { "RouteKey": "a", "JsonPath": "$.id", "Parameter": "id" } ] }""", "Aggregates[0].RouteKeysConfig[0].RouteKey", "first RouteKey")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"], "RouteKeysConfig": [ { "RouteKey": "c", "JsonPath": "$.id", "Parameter": "id" } ] }""", "Aggregates[0].RouteKeysConfig[0].RouteKey", "not one of this aggregate's RouteKeys")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"], "RouteKeysConfig": [ { "RouteKey": "b", "JsonPath": "$[?(@.x)]", "Parameter": "id" } ] }""", "Aggregates[0].RouteKeysConfig[0].JsonPath", "is not supported")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"], "RouteKeysConfig": [ { "RouteKey": "b", "JsonPath": "$.id" } ] }""", "Aggregates[0].RouteKeysConfig[0].Parameter", "required")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a"], "FailureMode": "Lenient" }""", "Aggregates[0].FailureMode", "not Partial or Strict")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a"], "Required": ["b"] }""", "Aggregates[0].Required", "not one of this aggregate's RouteKeys")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a"], "MaxFanOut": 0 }""", "Aggregates[0].MaxFanOut", "positive")]
    [TestCase("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a"], "Aggregator": "Nope" }""", "Aggregates[0].Aggregator", "no aggregator named 'Nope'")]
    [TestCase("""{ "UpstreamPathTemplate": "/a", "RouteKeys": ["b"] }""", "Aggregates[0].UpstreamPathTemplate", "route /a has duplicate aggregate")]
    [TestCase("""{ "UpstreamPathTemplate": "/x", "RouteKeys": ["a"] }, { "UpstreamPathTemplate": "/x", "RouteKeys": ["b"] }""", "Aggregates[1].UpstreamPathTemplate", "aggregate /x has duplicate aggregate")]
    public void Invalid_Aggregate_ReportsPathAndMessage(string aggregates, string path, string message)
    {
        var errors = Errors(aggregates);
        Assert.That(errors.Where(e => e.Path == path).Select(e => e.Message), Has.Some.Contains(message), string.Join("\n", errors));
    }

    [Test]
    public void RouteWithRequestIdKey_CannotBeAggregated() =>
        Assert.That(Errors("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a", "b"] }""", """, "RequestIdKey": "X-Id" """).Select(e => e.Message),
            Has.Some.Contains("contains Route with specific RequestIdKey"));

    [Test]
    public void RegisteredAggregator_IsAccepted() =>
        Assert.That(Errors("""{ "UpstreamPathTemplate": "/ab", "RouteKeys": ["a"], "Aggregator": "Home" }""", aggregators: ["Home"]), Is.Empty);
}
