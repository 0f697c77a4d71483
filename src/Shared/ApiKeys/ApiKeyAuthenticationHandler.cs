using System.Security.Claims;
using System.Text.Encodings.Web;
using Bff.Shared.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.ApiKeys;

/// <summary>
/// The <c>ApiKey</c> authentication scheme: reads <c>X-Api-Key</c> only. The principal carries <c>client_id</c>,
/// <c>key_id</c>, one <c>scope</c> claim per scope and <c>plan</c>. Refusals are problem+json: 401 with
/// <c>WWW-Authenticate: ApiKey</c>, 403 for missing scopes, 429 for a blocked address, 503 when the store is down
/// and the key was never seen.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        foreach (var (_, values) in Request.Query)
        {
            foreach (var value in values)
            {
                if (value is null || !value.StartsWith(ApiKeyCodec.Prefix, StringComparison.Ordinal)) continue;
                validator.Fail(ApiKeyFailure.InQuery, Context.Connection.RemoteIpAddress);
                return Refuse(ApiKeyFailure.InQuery);
            }
        }

        if (!Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var header) || header.Count == 0 || string.IsNullOrEmpty(header[0]))
            return AuthenticateResult.NoResult();

        var result = await validator.ValidateAsync(header[0]!, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        if (!result.Succeeded) return Refuse(result.Failure);

        var key = result.Key!;
        var claims = new List<Claim>
        {
            new(ApiKeyDefaults.ClientIdClaim, key.ClientId),
            new(ClaimTypes.Name, key.ClientName),
            new(ApiKeyDefaults.KeyIdClaim, key.Id),
        };
        foreach (var scope in key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) claims.Add(new(ApiKeyDefaults.ScopeClaim, scope));
        if (key.Plan is not null) claims.Add(new(ApiKeyDefaults.PlanClaim, key.Plan));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private AuthenticateResult Refuse(ApiKeyFailure failure)
    {
        Context.Features.Set(new ApiKeyFailureFeature(failure));
        return AuthenticateResult.Fail(failure.ToString());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Features.Get<ApiKeyFailureFeature>()?.Failure ?? ApiKeyFailure.None;
        switch (failure)
        {
            case ApiKeyFailure.Blocked:
                return GatewayProblems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                    "Too many failed authentication attempts from this address; try again later.", null, ("Retry-After", "60"));
            case ApiKeyFailure.StoreUnavailable:
                return GatewayProblems.WriteAsync(Context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                    "API keys cannot be checked right now.");
        }
        var detail = failure == ApiKeyFailure.InQuery
            ? $"API keys are accepted only in the {ApiKeyDefaults.HeaderName} header: a key in a URL ends up in logs, browser history and proxies. Revoke this key and send the new one in the header."
            : $"A valid API key is required in the {ApiKeyDefaults.HeaderName} header.";
        return GatewayProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail, null,
            ("WWW-Authenticate", ApiKeyDefaults.Scheme));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        GatewayProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The API key does not grant access to this resource.");
}
