using Bff.Shared.Auth;
using Bff.Shared.Configuration;

namespace Bff.Shared.Oidc;

/// <summary>Builds and validates a route's <c>DownstreamToken</c> (extension property; default <c>None</c>).</summary>
internal static class DownstreamTokenModelBuilder
{
    public static DownstreamTokenKind Build(RouteBuildContext c, RouteAuthModel? auth)
    {
        var (r, errors) = (c.Route, c.Errors);
        if (string.IsNullOrWhiteSpace(r.DownstreamToken)) return DownstreamTokenKind.None;
        if (!Enum.TryParse<DownstreamTokenKind>(r.DownstreamToken, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(r.DownstreamToken, out _))
        {
            errors.Add("DownstreamToken", $"'{r.DownstreamToken}' is not User, Client, UserOrClient or None");
            return DownstreamTokenKind.None;
        }
        if (kind == DownstreamTokenKind.None) return kind;
        if (string.IsNullOrWhiteSpace(c.Host.ConfigurationValue($"{OidcOptions.SectionName}:Authority")))
            errors.Add("DownstreamToken", "a downstream token comes from the OpenID Connect provider: configure the Oidc section (Oidc:Authority, ClientId, ClientSecret)");
        if (!string.IsNullOrWhiteSpace(r.DownstreamJwtAudience))
            errors.Add("DownstreamToken", "DownstreamToken and DownstreamJwtAudience both set Authorization: choose one");
        if (kind == DownstreamTokenKind.User && auth?.IsAuthenticated != true)
            errors.Add("DownstreamToken", "the user's token needs a signed-in user: the route must have AuthenticationOptions");
        return kind;
    }
}
