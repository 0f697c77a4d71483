using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.Routing;

internal sealed class DownstreamTemplateTests
{
    private static (string Path, string Query) Build(string template, string values, string upstreamPath, string upstreamQuery)
    {
        var parsed = new DownstreamTemplate(template, TemplateParser.Parse(template, out _)!);
        var pairs = values.Length == 0 ? [] : values.Split(';').Select(v => v.Split('=')).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();
        var path = parsed.BuildPath(pairs, upstreamPath);
        var query = parsed.BuildQuery(pairs, new QueryString(upstreamQuery.Length == 0 ? null : upstreamQuery));
        return (path.ToUriComponent(), query.ToUriComponent());
    }

    // Schema §4.5
    [TestCase("/api/users/{id}", "id=42", "/users/42", "", "/api/users/42", "")]
    [TestCase("/api/users/{id}", "id=42", "/users/42", "?x=1&ID=9", "/api/users/42", "?x=1")]
    [TestCase("/api/{unknown}", "id=42", "/users/42", "", "/api/%7Bunknown%7D", "")]
    [TestCase("/api/items/", "", "/items", "", "/api/items", "")]
    [TestCase("/api/items/", "", "/items/", "", "/api/items/", "")]
    [TestCase("/api/orders/items?orderId={id}", "id=7", "/orders/7/items", "?x=1", "/api/orders/items", "?orderId=7&x=1")]
    [TestCase("/api/orders?orderId={id}", "id=7", "/orders/7", "?orderId=8&x=1", "/api/orders", "?orderId=7&x=1")]
    [TestCase("/api/search", "", "/s", "?a=1&a=2", "/api/search", "?a=1&a=2")]
    [TestCase("/api/q?fixed=1", "", "/s", "?a=1&a=2", "/api/q", "?fixed=1&a=1&a=2")]
    [TestCase("/api/files/{name}", "name=a b", "/files/a b", "", "/api/files/a%20b", "")]
    [TestCase("/api/find?q={q}", "q=a&b", "/f", "", "/api/find", "?q=a%26b")]
    public void Build_FollowsOcelotRules(string template, string values, string upstreamPath, string upstreamQuery, string path, string query)
    {
        var built = Build(template, values, upstreamPath, upstreamQuery);
        Assert.That(built, Is.EqualTo((path, query)));
    }
}
