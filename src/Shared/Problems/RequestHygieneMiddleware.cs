using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Shared.Problems;

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

    private static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
            if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
        return false;
    }
}
