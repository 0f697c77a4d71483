namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// What the compatibility case tables share: the ocelot.json builders, the request and expectation shorthands, and the
/// deviation texts more than one table cites. Each feature's table (<see cref="CompatibilityCases"/> and the
/// <c>*CompatibilityCases</c> classes in the feature folders) uses them through <c>using static</c>.
/// </summary>
internal static class CompatibilityCaseBuilder
{
    internal const string DevNoRoute = "No route matched: 404 problem+json (Ocelot: 404 with empty body)";
    internal const string DevForwarded = "X-Forwarded-For/Proto set by the gateway, X-Forwarded-Host only from BaseUrl or a restricted AllowedHosts; inbound values replaced (Ocelot adds none)";

    internal const string B1 = """[ { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    internal const string B2 = """[ { "Host": "127.0.0.1", "Port": {{PORT2}} } ]""";

    internal static string Route(string upstream, string downstream, string extra = "", string hosts = B1) =>
        "{ \"UpstreamPathTemplate\": \"" + upstream + "\", \"DownstreamPathTemplate\": \"" + downstream
        + "\", \"DownstreamScheme\": \"http\", \"DownstreamHostAndPorts\": " + hosts
        + (extra.Length == 0 ? "" : "," + extra) + " }";

    internal static string Config(params string[] routes) => ConfigWithGlobal("", routes);

    internal static string ConfigWithGlobal(string global, params string[] routes) =>
        "{ \"Routes\": [ " + string.Join(", ", routes) + " ]"
        + (global.Length == 0 ? "" : ", \"GlobalConfiguration\": {" + global + "}") + " }";

    internal static CompatibilityRequest Get(string pathAndQuery, Dictionary<string, string>? headers = null, string? host = null) =>
        new("GET", pathAndQuery, headers, host);

    internal static CompatibilityRequest Send(string method, string pathAndQuery, string? body = null) =>
        new(method, pathAndQuery, Body: body);

    internal static CompatibilityExpectation Ok(string pathAndQuery, int backend = 1, string method = "GET",
        Dictionary<string, string?>? down = null, Dictionary<string, string?>? resp = null) =>
        new(200, method, pathAndQuery, down, resp, backend);

    internal static CompatibilityCase NotFound(string name, string config, CompatibilityRequest request, string deviation = DevNoRoute) =>
        new(name, config, request, new(404, Backend: 0, ProblemJson: true), deviation);

    /// <summary>Expected headers; a null value means "must be absent".</summary>
    internal static Dictionary<string, string?> H(params (string Name, string? Value)[] headers)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>Request headers to send.</summary>
    internal static Dictionary<string, string> Rq(params (string Name, string Value)[] headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }
}
