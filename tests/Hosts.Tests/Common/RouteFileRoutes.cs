using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bff.Hosts.Tests.Common;

/// <summary>One route of a host's real route files, with a sample request derived from it.</summary>
internal sealed record RouteSample(string File, string Key, string Method, string UpstreamPath, string DownstreamPath, int Port)
{
    public override string ToString() => $"{Key} {Method} {UpstreamPath}";
}

/// <summary>Reads ocelot/&lt;bff&gt;/*.json (plain JSON reading, independent of the engine under test).</summary>
internal static partial class RouteFileRoutes
{
    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>The demo port of a service the route files name (HostFixture points it at a real server).</summary>
    private static int DemoPort(string service) => service switch
    {
        "users" => 6001,
        "orders" => 6002,
        "payments" => 6003,
        _ => throw new AssertionException($"unknown demo service '{service}'"),
    };

    public static IEnumerable<RouteSample> For(string bff)
    {
        foreach (var file in Directory.GetFiles(RepoPaths.RouteFolder(bff), "ocelot*.json").Order(StringComparer.Ordinal))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if (root["Routes"] is not JsonArray routes) continue;
            foreach (var route in routes.OfType<JsonObject>())
            {
                var methods = route["UpstreamHttpMethod"]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? [];
                var upstream = route["UpstreamPathTemplate"]!.GetValue<string>();
                var downstream = route["DownstreamPathTemplate"]!.GetValue<string>();
                var values = new Dictionary<string, string>();
                // Placeholders filled from the signed-in user's claims: the test users are the demo customer 1.
                if (route["ChangeDownstreamPathTemplate"] is JsonObject fromClaims)
                    foreach (var (placeholder, expression) in fromClaims)
                    {
                        Assert.That(expression!.GetValue<string>(), Is.EqualTo("Claims[customer_id] > value"), $"{upstream}: {placeholder}");
                        values[placeholder] = TestTokens.DefaultCustomer;
                    }
                var i = 0;
                string Fill(Match m) => values.TryGetValue(m.Groups[1].Value, out var v) ? v : values[m.Groups[1].Value] = (1001 + i++).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var upstreamPath = Placeholder().Replace(upstream, Fill);
                var downstreamPath = Placeholder().Replace(downstream, Fill);
                yield return new RouteSample(Path.GetFileName(file), route["Key"]?.GetValue<string>() ?? upstream,
                    methods.FirstOrDefault()?.ToUpperInvariant() ?? "GET", upstreamPath, downstreamPath,
                    route["ServiceName"] is { } service ? DemoPort(service.GetValue<string>()) : route["DownstreamHostAndPorts"]![0]!["Port"]!.GetValue<int>());
            }
        }
    }
}
