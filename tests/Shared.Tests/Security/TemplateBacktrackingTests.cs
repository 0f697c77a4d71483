using Bff.Shared.Routing;

namespace Bff.Shared.Tests.Security;

/// <summary>#17 item 7: a template with several greedy placeholders in one segment cannot be made to backtrack for
/// minutes by a hostile path: every template regex has a match timeout, and a timed-out match is "no match".</summary>
internal sealed class TemplateBacktrackingTests
{
    [Test]
    [CancelAfter(20_000)]
    public void HostilePath_AgainstManyGreedyPlaceholders_DoesNotMatch_AndReturns()
    {
        var template = "/f/{a}-{b}-{c}-{d}-{e}-{f}.json";
        var upstream = UpstreamTemplate.Compile(template, TemplateParser.Parse(template, out _)!, caseSensitive: false);
        Assert.That(upstream.Regex.MatchTimeout, Is.EqualTo(UpstreamTemplate.MatchTimeout));

        var hostile = "/f/" + new string('-', 4000) + ".jso";
        Assert.Throws<System.Text.RegularExpressions.RegexMatchTimeoutException>(() => upstream.Regex.IsMatch(hostile),
            "the input really is hostile: the bare regex runs into its timeout (without one it would backtrack for minutes)");
        Assert.That(upstream.IsMatch(hostile), Is.False);

        var values = new List<KeyValuePair<string, string>>();
        upstream.ExtractValues(hostile, values);
        Assert.That(values, Is.Empty);
        Assert.That(upstream.IsMatch("/f/1-2-3-4-5-6.json"), Is.True, "an ordinary path still matches");
    }
}
