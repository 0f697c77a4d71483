using System.Text.Json;
using Bff.Shared.Aggregation;

namespace Bff.Shared.Tests.Aggregation;

internal sealed class JsonPathQueryTests
{
    private const string Document = """
        { "orders": [ { "id": 1, "user": { "id": "u1" } }, { "id": 2, "user": { "id": "u2" } } ],
          "owner": { "id": "o" }, "tags": ["a", "b"] }
        """;

    [TestCase("$.orders[*].id", "1,2")]
    [TestCase("orders[*].id", "1,2")]
    [TestCase("$.orders[0].user.id", "u1")]
    [TestCase("$['owner']['id']", "o")]
    [TestCase("$.tags[*]", "a,b")]
    [TestCase("$..id", "1,u1,2,u2,o")]
    [TestCase("$.owner.*", "o")]
    [TestCase("$.missing[*].id", "")]
    [TestCase("$.orders[5].id", "")]
    public void Select_ReturnsValuesInDocumentOrder(string path, string expected)
    {
        using var document = JsonDocument.Parse(Document);
        var query = JsonPathQuery.Parse(path, out var error)!;
        Assert.That(error, Is.Null);
        Assert.That(string.Join(",", query.Select(document.RootElement).Select(JsonPathQuery.ToParameter)), Is.EqualTo(expected));
    }

    [Test]
    public void Select_RootArray_Works()
    {
        using var document = JsonDocument.Parse("""[ { "writerId": 7 }, { "writerId": 8 } ]""");
        Assert.That(JsonPathQuery.Parse("$[*].writerId", out _)!.Select(document.RootElement).Select(JsonPathQuery.ToParameter), Is.EqualTo(new[] { "7", "8" }));
    }

    [TestCase("$.items[?(@.id > 1)]")]
    [TestCase("$.items[0:2]")]
    [TestCase("$.items[")]
    [TestCase("$..")]
    public void Parse_Unsupported_ReportsWhy(string path)
    {
        Assert.That(JsonPathQuery.Parse(path, out var error), Is.Null);
        Assert.That(error, Does.StartWith($"JsonPath '{path}'"));
    }
}
