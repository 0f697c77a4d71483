using System.Diagnostics;
using Bff.Shared.ApiKeys;
using Bff.Shared.Hosting;
using Bff.Shared.Routing;
using Bff.Shared.Sessions;
using Bff.Shared.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>
/// Shapes the downstream request and the upstream response around YARP's default copying (which already drops
/// hop-by-hop headers and lets the HTTP client set Host to the destination): downstream URL and method, forwarded
/// headers, request id, and Ocelot's Upstream/DownstreamHeaderTransform.
/// </summary>
internal sealed class GatewayTransformer(IOptions<GatewayOptions> options, IConfiguration configuration) : HttpTransformer
{
    // Spoofable headers a client must never be able to hand to a backend as if the gateway had set them.
    private static readonly string[] ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Port",
        "X-Forwarded-Server", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-URL", "X-Rewrite-URL",
        "True-Client-IP", "X-Client-IP", "X-Cluster-Client-IP",
    ];

    private readonly ForwardedHeadersMode _forwarded = options.Value.ForwardedHeaders;

    // AllowedHosts other than "*" means host filtering has already refused any other Host header.
    private readonly bool _hostsRestricted = configuration["AllowedHosts"] is { Length: > 0 } allowed
        && !allowed.Split(';', StringSplitOptions.TrimEntries).Contains("*");

    public override async ValueTask TransformRequestAsync(HttpContext context, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(context, proxyRequest, destinationPrefix, cancellationToken);
        var feature = context.Features.Get<GatewayFeature>()!;
        var route = feature.Route;
        var request = context.Request;

        var (path, query) = feature.DownstreamTarget(request);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, path, query);
        if (route.DownstreamMethod is { } method) proxyRequest.Method = HttpMethod.Parse(method);
        if (route.Retry is { } retry) proxyRequest.Options.Set(Resilience.RetryHandler.OptionsKey, retry);
        // Ocelot: Host becomes the destination's host:port (the HTTP client derives it from the URI).
        proxyRequest.Headers.Host = null;

        var forwardedFor = ForwardedFor(context);
        foreach (var name in ForwardingHeaders) proxyRequest.Headers.Remove(name);
        // The gateway's credentials never travel further: API keys, the anti-forgery header, and on session
        // routes the browser's cookies (the session id among them).
        proxyRequest.Headers.Remove(ApiKeyDefaults.HeaderName);
        proxyRequest.Headers.Remove(SessionDefaults.CsrfHeader);
        if (route.Auth?.Schemes.Contains(SessionDefaults.Scheme) == true) proxyRequest.Headers.Remove("Cookie");
        else StripSessionCookie(proxyRequest);
        // A user's or a partner's bearer token is for the gateway (its audience): backends get the identity another way.
        if (route.Auth?.Schemes.Contains(TokenDefaults.Scheme) == true || route.Auth?.Schemes.Contains(ClientCredentials.ClientCredentialsDefaults.Scheme) == true)
            proxyRequest.Headers.Authorization = null;
        if (_forwarded != ForwardedHeadersMode.Off)
        {
            if (forwardedFor.Length > 0) proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
            if (PublicHost(route, request) is { } publicHost) proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", publicHost);
        }

        if (route.RequestIdKey is { } requestIdKey)
            SetHeader(proxyRequest, requestIdKey, context.TraceIdentifier);

        foreach (var (name, value) in feature.ExtraHeaders ?? []) SetHeader(proxyRequest, name, value);

        if (route.DownstreamJwtAudience is { } audience && context.User.Identity?.IsAuthenticated == true)
        {
            var minted = await context.RequestServices.GetRequiredService<DownstreamTokens>().MintAsync(context.User, audience, cancellationToken);
            SetHeader(proxyRequest, "Authorization", "Bearer " + minted);
        }

        foreach (var transform in route.RequestHeaderTransforms)
        {
            if (transform.IsFindReplace)
            {
                var current = GetHeader(proxyRequest, transform.Header);
                if (current is null) continue;
                SetHeader(proxyRequest, transform.Header,
                    current.Replace(Expand(transform.Find!, context, feature), Expand(transform.Replace!, context, feature, baseUrlSlash: true), StringComparison.Ordinal));
            }
            else if (Resolve(transform.SetValue!, context, feature) is { } value)
            {
                SetHeader(proxyRequest, transform.Header, value);
            }
        }
    }

    /// <summary>
    /// A request header's value as the backend gets it, for the response cache's Vary: the gateway's forwarded
    /// headers and request id, AddHeadersToRequest, else the client's value ("" when the gateway strips it, which a
    /// key holding the client's value only splits finer); null when an UpstreamHeaderTransform or a minted token
    /// decides it, which a key cannot hold ahead of the call.
    /// </summary>
    internal string? SentValue(HttpContext context, GatewayFeature feature, string name)
    {
        var route = feature.Route;
        if (route.RequestHeaderTransforms.Any(t => t.Header.Equals(name, StringComparison.OrdinalIgnoreCase))) return null;
        if ((route.DownstreamJwtAudience is not null || route.DownstreamToken != Oidc.DownstreamTokenKind.None) && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) return null;
        if (feature.ExtraHeaders is { } extra)
            for (var i = extra.Count - 1; i >= 0; i--)
                if (extra[i].Key.Equals(name, StringComparison.OrdinalIgnoreCase)) return extra[i].Value;
        if (route.RequestIdKey is { } requestIdKey && name.Equals(requestIdKey, StringComparison.OrdinalIgnoreCase)) return context.TraceIdentifier;
        if (!ForwardingHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)) return context.Request.Headers[name].ToString();
        if (_forwarded == ForwardedHeadersMode.Off) return "";
        return name.ToUpperInvariant() switch
        {
            "X-FORWARDED-FOR" => ForwardedFor(context),
            "X-FORWARDED-PROTO" => context.Request.Scheme,
            "X-FORWARDED-HOST" => PublicHost(route, context.Request) ?? "",
            _ => "",
        };
    }

    /// <summary>X-Forwarded-For as sent: the client's address, after the inbound chain in Append mode.</summary>
    private string ForwardedFor(HttpContext context)
    {
        var inbound = _forwarded == ForwardedHeadersMode.Append && context.Request.Headers.TryGetValue("X-Forwarded-For", out var xff) ? xff.ToString() : null;
        var client = RemoteIp(context);
        return string.IsNullOrEmpty(inbound) ? client : $"{inbound}, {client}";
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext context, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(context, proxyResponse, cancellationToken);
        if (proxyResponse is null) return result;
        var feature = context.Features.Get<GatewayFeature>()!;
        var headers = context.Response.Headers;
        foreach (var transform in feature.Route.ResponseHeaderTransforms)
        {
            if (transform.IsFindReplace)
            {
                if (!headers.TryGetValue(transform.Header, out var current) || current.Count == 0 || current[0] is null) continue;
                var values = current.ToArray();
                values[0] = values[0]!.Replace(Expand(transform.Find!, context, feature), Expand(transform.Replace!, context, feature, baseUrlSlash: true), StringComparison.Ordinal);
                headers[transform.Header] = values;
            }
            else if (Resolve(transform.SetValue!, context, feature) is { } value)
            {
                headers[transform.Header] = value;
            }
        }
        return result;
    }

    /// <summary>A set-value: a whole-value placeholder is resolved (null when it cannot be), anything else is literal.</summary>
    private string? Resolve(string value, HttpContext context, GatewayFeature feature)
    {
        if (value.Length < 3 || value[0] != '{' || value[^1] != '}') return value;
        return Placeholder(value[1..^1], context, feature, baseUrlSlash: false);
    }

    /// <summary>Find/replace text: every known placeholder inside it is substituted.</summary>
    private string Expand(string text, HttpContext context, GatewayFeature feature, bool baseUrlSlash = false)
    {
        if (!text.Contains('{')) return text;
        var result = text;
        foreach (var name in (ReadOnlySpan<string>)["BaseUrl", "DownstreamBaseUrl", "RemoteIpAddress", "UpstreamHost", "TraceId"])
        {
            var token = "{" + name + "}";
            if (result.Contains(token, StringComparison.Ordinal))
                result = result.Replace(token, Placeholder(name, context, feature, baseUrlSlash) ?? "", StringComparison.Ordinal);
        }
        return result;
    }

    private string? Placeholder(string name, HttpContext context, GatewayFeature feature, bool baseUrlSlash) => name switch
    {
        "BaseUrl" => BaseUrl(context, feature, baseUrlSlash),
        "DownstreamBaseUrl" => feature.DownstreamBaseUrl,
        "RemoteIpAddress" => RemoteIp(context),
        "UpstreamHost" => context.Request.Host.HasValue ? context.Request.Host.Value : null,
        "TraceId" => Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier,
        // Only keys under HeaderValues: — any other key ({ApiKeys:Pepper}, a connection string) stays unresolved.
        _ => name.StartsWith(HeaderValuesPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > HeaderValuesPrefix.Length ? configuration[name] : null,
    };

    private const string HeaderValuesPrefix = "HeaderValues:";

    /// <summary>X-Forwarded-Host: the configured public host (GlobalConfiguration.BaseUrl), else the request's Host
    /// when AllowedHosts restricts it; never a Host the client could choose freely.</summary>
    private string? PublicHost(RouteModel route, HttpRequest request)
    {
        if (route.BaseUrl is { } baseUrl && Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)) return uri.Authority;
        return _hostsRestricted && request.Host.HasValue ? request.Host.Value : null;
    }

    private static string BaseUrl(HttpContext context, GatewayFeature feature, bool slash)
    {
        // Validation refuses {BaseUrl} without a configured BaseUrl, so a client's Host header never ends up here.
        var baseUrl = feature.Route.BaseUrl ?? "";
        return slash && !baseUrl.EndsWith('/') ? baseUrl + "/" : baseUrl;
    }

    private static string RemoteIp(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null) return "";
        return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
    }

    private static void StripSessionCookie(HttpRequestMessage proxyRequest)
    {
        if (!proxyRequest.Headers.TryGetValues("Cookie", out var values)) return;
        var kept = values.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(c => !c.StartsWith(SessionDefaults.CookieName + "=", StringComparison.OrdinalIgnoreCase)).ToList();
        if (kept.Count == values.Sum(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length)) return;
        proxyRequest.Headers.Remove("Cookie");
        if (kept.Count > 0) proxyRequest.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
    }

    private static string? GetHeader(HttpRequestMessage request, string name)
    {
        if (request.Headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
        if (request.Content is not null && request.Content.Headers.TryGetValues(name, out var contentValues)) return contentValues.FirstOrDefault();
        return null;
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Content?.Headers.Remove(name);
        if (!request.Headers.TryAddWithoutValidation(name, value))
            request.Content?.Headers.TryAddWithoutValidation(name, value);
    }
}
