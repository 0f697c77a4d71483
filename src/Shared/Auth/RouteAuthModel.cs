namespace Bff.Shared.Auth;

/// <summary>
/// A route's authentication and claims settings (AuthenticationOptions, RouteClaimsRequirement, AddHeadersToRequest,
/// AddClaimsToRequest, AddQueriesToRequest, ChangeDownstreamPathTemplate), compiled.
/// </summary>
internal sealed record RouteAuthModel(
    string[] Schemes,
    string[] AllowedScopes,
    (string ClaimType, string Value)[] ClaimsRequirements,
    (string Name, ClaimExpression Expression)[] AddClaims,
    (string Name, ClaimExpression Expression)[] AddHeaders,
    (string Name, ClaimExpression Expression)[] AddQueries,
    (string Placeholder, ClaimExpression Expression)[] ChangePath)
{
    public bool IsAuthenticated => Schemes.Length > 0;

    public bool UsesClaims => IsAuthenticated || AllowedScopes.Length > 0 || ClaimsRequirements.Length > 0 || AddClaims.Length > 0
        || AddHeaders.Length > 0 || AddQueries.Length > 0 || ChangePath.Length > 0;
}
