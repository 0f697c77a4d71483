using Bff.Shared.Configuration;
using Bff.Shared.Configuration.File;

namespace Bff.Shared.Auth;

/// <summary>
/// Builds a route's identity checks: AuthenticationOptions (merged with the global section by Ocelot's rule, §3.1),
/// RouteClaimsRequirement and the claims-to-* dictionaries, and DownstreamJwtAudience. Ocelot ignores a malformed
/// claim expression; here it is an error.
/// </summary>
internal static class AuthModelBuilder
{
    public static RouteAuthModel? Build(RouteBuildContext c)
    {
        var (r, errors) = (c.Route, c.Errors);
        var options = Options(r, c.Global);
        var schemes = options is null || options.AllowAnonymous == true ? [] : options.AllKeys().Distinct().ToArray();
        if (ReferenceEquals(options, r.AuthenticationOptions) || r.AuthenticationOptions is not null)
            foreach (var scheme in schemes.Where(s => c.Host.AuthenticationSchemes?.Contains(s) != true))
                errors.Add("AuthenticationOptions", $"AuthenticationOptions: {scheme} is unsupported authentication provider (registered schemes: {SchemeList(c.Host)})");

        var changePath = Expressions(r.ChangeDownstreamPathTemplate, "ChangeDownstreamPathTemplate", errors);
        foreach (var (placeholder, _) in changePath)
            if (c.DownstreamParts is not null && !c.DownstreamParts.Any(p => p.IsPlaceholder && p.Text == placeholder))
                errors.Add($"ChangeDownstreamPathTemplate.{placeholder}", $"DownstreamPathTemplate has no placeholder {{{placeholder}}}");
        ConfigRules.HeaderNames(r.AddHeadersToRequest, "AddHeadersToRequest", errors);

        var model = new RouteAuthModel(
            schemes,
            options?.AllowAnonymous == true ? [] : [.. options?.AllowedScopes ?? []],
            [.. r.RouteClaimsRequirement.Select(kv => (kv.Key, kv.Value))],
            Expressions(r.AddClaimsToRequest, "AddClaimsToRequest", errors),
            Expressions(r.AddHeadersToRequest, "AddHeadersToRequest", errors),
            Expressions(r.AddQueriesToRequest, "AddQueriesToRequest", errors),
            changePath);
        var auth = model.UsesClaims ? model : null;
        if (!string.IsNullOrWhiteSpace(r.DownstreamJwtAudience) && auth?.IsAuthenticated != true)
            errors.Add("DownstreamJwtAudience", "a downstream token needs a signed-in user: the route must have AuthenticationOptions");
        return auth;
    }

    public static void ValidateGlobal(FileGlobalConfiguration g, ModelBuildContext host, ConfigErrorScope errors)
    {
        if (g.AuthenticationOptions is { } auth)
            foreach (var key in auth.AllKeys().Where(k => host.AuthenticationSchemes?.Contains(k) != true))
                errors.Add("AuthenticationOptions", $"AuthenticationOptions: {key} is unsupported authentication provider (registered schemes: {SchemeList(host)})");
    }

    /// <summary>The merged options; a route that names any provider (Key or Keys) takes both from itself.</summary>
    private static FileAuthenticationOptions? Options(FileRoute r, FileGlobalConfiguration global)
    {
        var merged = OcelotMerge.Merge(r.AuthenticationOptions, global.AuthenticationOptions, global.AuthenticationOptions?.RouteKeys, r.Key);
        if (r.AuthenticationOptions is { } own && !ReferenceEquals(merged, own)
            && (own.AuthenticationProviderKey is not null || own.AuthenticationProviderKeys is { Count: > 0 }))
        {
            merged!.AuthenticationProviderKey = own.AuthenticationProviderKey;
            merged.AuthenticationProviderKeys = own.AuthenticationProviderKeys;
        }
        return merged;
    }

    private static (string, ClaimExpression)[] Expressions(Dictionary<string, string> entries, string property, ConfigErrorScope errors)
    {
        var parsed = new List<(string, ClaimExpression)>();
        foreach (var (name, text) in entries)
        {
            var expression = ClaimExpression.Parse(text ?? "", out var message);
            if (expression is null) errors.Add($"{property}.{name}", message!);
            else parsed.Add((name, expression));
        }
        return [.. parsed];
    }

    private static string SchemeList(ModelBuildContext host) =>
        host.AuthenticationSchemes is { Count: > 0 } schemes ? string.Join(", ", schemes.Order(StringComparer.Ordinal)) : "none";
}
