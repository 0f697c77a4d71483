using Bff.Shared.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Shared.Security;

/// <summary>
/// Refuses, before anything is matched or forwarded, requests a backend should never see: a path with a ".."
/// segment once decoded (including %2e%2e and %2F/%5C-separated forms) and header values with control characters
/// (CR/LF are already refused by Kestrel; other C0 characters and DEL are refused here). 400 problem+json.
/// </summary>
internal sealed class RequestHygieneMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Kestrel already removes dot segments from Path, so look at the target exactly as the client sent it.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value;
        var path = raw.AsSpan();
        if (path.IndexOf('?') is var query and >= 0) path = path[..query];
        if (PathSafety.IsUnsafeRawPath(path))
            return GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", "The path contains a '..' segment.");

        // An API key in a URL ends up in logs, histories and proxies — and would be forwarded. Refused on every route.
        if (context.Request.QueryString.Value is { } rawQuery && rawQuery.Contains(ApiKeys.ApiKeyCodec.Prefix, StringComparison.Ordinal)
            && context.Request.Query.Any(q => q.Key.StartsWith(ApiKeys.ApiKeyCodec.Prefix, StringComparison.Ordinal)
                || q.Value.Any(v => v?.StartsWith(ApiKeys.ApiKeyCodec.Prefix, StringComparison.Ordinal) == true)))
        {
            return GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "API keys are accepted only in the X-Api-Key header: a key in a URL ends up in logs, browser history and proxies. Revoke this key and send the new one in the header.",
                null, ("WWW-Authenticate", ApiKeys.ApiKeyDefaults.Scheme));
        }

        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                if (value is not null && HasControlCharacter(value))
                    return GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request",
                        "A request header value contains a control character.");
            }
        }
        return next(context);
    }

    internal static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
            if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
        return false;
    }
}
