using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Bff.Shared.ApiKeys;
using Bff.Shared.Forwarding;
using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Caching;

/// <summary>
/// A cache key is exactly what is asked of the backend, per part of an aggregate: the downstream method, path and
/// query after every substitution (placeholders, <c>{header:x}</c> captures, chained values,
/// ChangeDownstreamPathTemplate, AddQueriesToRequest), the request headers that select a representation
/// (<c>Accept</c>, <c>Accept-Encoding</c>, <c>Accept-Language</c>, the route's cache <c>Header</c>), the body hash
/// with <c>EnableContentHashing</c>, the identity on authenticated routes unless <c>Shared</c>, and the values of the
/// headers the backend's <c>Vary</c> named — each header as the backend got it (<see cref="GatewayTransformer.SentValue"/>).
/// Every value is escaped, so no two requests can spell one key.
/// </summary>
internal static class ResponseCacheKey
{
    private const string EntryPrefix = "bffs:resp:";
    private const string RulePrefix = "bffs:vary:";

    // Request headers that choose a representation even when a backend forgets to say Vary.
    private static readonly string[] Selecting = ["Accept", "Accept-Encoding", "Accept-Language"];

    /// <summary>
    /// The key before the backend's Vary headers, or null when this caller's response may not be stored: an
    /// authenticated, non-Shared route whose principal has no stable id would share one entry with every such caller.
    /// </summary>
    public static string? Of(HttpContext context, GatewayFeature feature, RouteCacheModel model, GatewayTransformer sent)
    {
        var route = feature.Route;
        var request = context.Request;
        string? identity = null;
        if (!model.Shared && route.Auth?.IsAuthenticated == true && (identity = Identity(context.User)) is null) return null;

        var (path, query) = feature.DownstreamTarget(request);
        var key = new StringBuilder(EntryPrefix, 256);
        Field(key, model.Region);
        Field(key, route.KeyPart);
        Field(key, route.DownstreamMethod ?? request.Method);
        Field(key, path.Value + query.Value);
        Field(key, request.Headers[model.Header].ToString());
        // A header transform on one of these (a literal, a setting, find/replace) follows the client's value.
        foreach (var name in Selecting) Field(key, sent.SentValue(context, feature, name) ?? "t:" + request.Headers[name]);
        Field(key, identity ?? "");
        Field(key, model.HashBody && request.ContentLength > 0 ? BodyHash(request) : "");
        return key.ToString();
    }

    /// <summary>The partner's client id (<c>c:</c>) or the user's issuer and subject (<c>u:</c>); null without either.</summary>
    internal static string? Identity(ClaimsPrincipal user)
    {
        if (ApiKeyDefaults.PartnerOf(user)?.FindFirst(ApiKeyDefaults.ClientIdClaim)?.Value is { Length: > 0 } client) return "c:" + client;
        if (user.FindFirst("sub")?.Value is { Length: > 0 } sub) return "u:" + user.FindFirst("iss")?.Value + "|" + sub;
        return null;
    }

    /// <summary>The entry's key: <paramref name="key"/> plus the values the backend got of the Vary headers; null when
    /// one of them is decided by something a key cannot hold (a header transform, a minted token): not stored.</summary>
    public static string? WithVary(string key, IReadOnlyList<string> names, HttpContext context, GatewayFeature feature, GatewayTransformer sent)
    {
        var full = new StringBuilder(key, key.Length + 32 * names.Count);
        foreach (var name in names)
        {
            if (sent.SentValue(context, feature, name) is not { } value) return null;
            Escape(full, name).Append('=');
            Escape(full, value).Append(';');
        }
        return full.Append('|').ToString();
    }

    /// <summary>Where the Vary header names last seen for <paramref name="key"/> are kept.</summary>
    public static string RuleKey(string key) => RulePrefix + key[EntryPrefix.Length..];

    public static string[] ParseRule(string rule) => rule.Length == 0 ? [] : rule.Split(',');

    public static string FormatRule(string[] names) => string.Join(',', names);

    /// <summary>The backend's Vary names, lower case, sorted, distinct; null for <c>Vary: *</c> (never stored).</summary>
    public static string[]? VaryNames(CachedResponse response)
    {
        if (!response.Headers.TryGetValue("Vary", out var values)) return [];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (name == "*") return null;
                names.Add(name.ToLowerInvariant());
            }
        }
        return [.. names];
    }

    private static string BodyHash(HttpRequest request)
    {
        request.EnableBuffering();
        var hash = SHA256.HashData(request.Body);
        request.Body.Position = 0;
        return Convert.ToHexString(hash);
    }

    private static void Field(StringBuilder key, string value) => Escape(key, value).Append('|');

    private static StringBuilder Escape(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '%' => builder.Append("%25"),
                '|' => builder.Append("%7C"),
                ';' => builder.Append("%3B"),
                '=' => builder.Append("%3D"),
                _ => builder.Append(c),
            };
        }
        return builder;
    }
}
