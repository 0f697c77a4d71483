using Bff.Shared.Routing;

namespace Bff.Shared.Tests.Routing;

internal sealed class UpstreamTemplateTests
{
    private static UpstreamTemplate Compile(string template, bool caseSensitive = false, bool ocelotEmpty = false) =>
        UpstreamTemplate.Compile(template, TemplateParser.Parse(template, out _)!, caseSensitive, ocelotEmpty);

    // Schema §4.1: placeholder in the last segment is greedy; elsewhere one non-empty segment.
    [TestCase("/users/{id}", "/users/42", true)]
    [TestCase("/users/{id}", "/users/42/extra", true)]
    [TestCase("/users/{id}", "/users", false)] // empty placeholders do not match: documented deviation
    [TestCase("/users/{id}", "/users/", false)]
    [TestCase("/users/a{id}", "/users/a", false)]
    [TestCase("/users/{id}", "/usersx", false)]
    [TestCase("/users/{id}/orders", "/users/42/orders", true)]
    [TestCase("/users/{id}/orders", "/users//orders", false)]
    [TestCase("/users/{id}/orders", "/users/4/2/orders", false)]
    [TestCase("/x/{everything}", "/x", true)]
    [TestCase("/x/{everything}", "/x/", true)]
    [TestCase("/x/{everything}", "/x/a/b", true)]
    [TestCase("/{everything}", "/", true)]
    [TestCase("/{everything}", "/a/b/c", true)]
    [TestCase("/api/", "/api", true)]
    [TestCase("/api/", "/api/", true)]
    [TestCase("/", "/", true)]
    [TestCase("/", "/a", false)]
    [TestCase("/api/v1.0/x", "/api/v1.0/x", true)]
    [TestCase("/api/v1.0/x", "/api/v1a0/x", false)] // literal dot: documented deviation
    [TestCase("/API/Users", "/api/users", true)]
    [TestCase("/api/invoices_{a}/{b}-{c}_x/{d}", "/api/invoices_1/2-3_x/4", true)]
    [TestCase("/api/invoices_{a}/{b}-{c}_x/{d}", "/api/invoices_1/23_x/4", false)]
    public void Match_FollowsOcelotRules(string template, string path, bool expected) =>
        Assert.That(Compile(template).IsMatch(path), Is.EqualTo(expected));

    [Test]
    public void Match_CaseSensitive_RefusesOtherCase()
    {
        var template = Compile("/API/Users", caseSensitive: true);
        Assert.That(template.IsMatch("/api/users"), Is.False);
        Assert.That(template.IsMatch("/API/Users"), Is.True);
    }

    [TestCase("/x?id={id}", "/x?id=5", true)]
    [TestCase("/x?id={id}", "/x?id=5&y=2", true)]
    [TestCase("/x?id={id}", "/x?other=5", false)]
    [TestCase("/x?{query}", "/x", true)]
    [TestCase("/x?{query}", "/x?a=1&b=2", true)]
    public void Match_QueryTemplate_IsMatchedAgainstPathAndQuery(string template, string pathAndQuery, bool expected) =>
        Assert.That(Compile(template).IsMatch(pathAndQuery), Is.EqualTo(expected));

    [TestCase("/users/{id}", "/users/42/extra", "id=42/extra")]
    [TestCase("/users/{id}/orders/{orderId}", "/users/7/orders/9", "id=7;orderId=9")]
    [TestCase("/x/{everything}", "/x", "everything=")]
    [TestCase("/invoices/{everything}", "/invoices/", "everything=")]
    [TestCase("/{everything}", "/a/b", "everything=a/b")]
    [TestCase("/x?id={id}", "/x?id=a%20b&y=2", "id=a b")]
    [TestCase("/x?{query}", "/x?a=1", "query=")]
    [TestCase("/api/invoices_{a}/{b}-{c}_x/{d}", "/api/invoices_1/2-3_x/4/5", "a=1;b=2;c=3;d=4/5")]
    public void ExtractValues_GivesPlaceholderValues(string template, string input, string expected)
    {
        var values = new List<KeyValuePair<string, string>>();
        Compile(template).ExtractValues(input, values);
        Assert.That(string.Join(";", values.Select(v => $"{v.Key}={v.Value}")), Is.EqualTo(expected));
    }

    // Gateway:OcelotEmptyPlaceholders=true restores Ocelot's rule: the last placeholder may be empty.
    [TestCase("/users/{id}", "/users", true)]
    [TestCase("/users/{id}", "/users/", true)]
    [TestCase("/users/a{id}", "/users/a", true)]
    [TestCase("/users/{id}/orders", "/users//orders", false)]
    public void Match_OcelotEmptyPlaceholders_AllowsAnEmptyLastPlaceholder(string template, string path, bool expected) =>
        Assert.That(Compile(template, ocelotEmpty: true).IsMatch(path), Is.EqualTo(expected));

    [TestCase("/x/{all}", "/x", "all=")]
    [TestCase("/invoices/{url}", "/invoices/", "url=")]
    public void ExtractValues_OcelotEmptyPlaceholders_GivesEmptyValues(string template, string input, string expected)
    {
        var values = new List<KeyValuePair<string, string>>();
        Compile(template, ocelotEmpty: true).ExtractValues(input, values);
        Assert.That(string.Join(";", values.Select(v => $"{v.Key}={v.Value}")), Is.EqualTo(expected));
    }

    [Test]
    public void RootCatchAll_IsRecognised() =>
        Assert.That(Compile("/{everything}").IsRootCatchAll, Is.True);

    [TestCase("/a/{b", "without a matching")]
    [TestCase("/a/b}", "without a matching")]
    [TestCase("/a/{}", "malformed placeholder")]
    [TestCase("/a/{b{c}}", "without a matching")]
    public void Parse_MalformedTemplate_ReportsWhy(string template, string message)
    {
        Assert.That(TemplateParser.Parse(template, out var error), Is.Null);
        Assert.That(error, Does.Contain(message));
    }
}
