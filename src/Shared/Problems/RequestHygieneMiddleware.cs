using Microsoft.AspNetCore.Http;

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
        var path = context.Request.Path.Value;
        if (path is not null && HasDotSegment(path))
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

    internal static bool HasDotSegment(string path)
    {
        if (!path.Contains("..", StringComparison.Ordinal) && !path.Contains('%')) return false;
        var normalized = path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            .Replace("%5C", "/", StringComparison.OrdinalIgnoreCase)
            .Replace("%2E", ".", StringComparison.OrdinalIgnoreCase)
            .Replace('\\', '/');
        foreach (var segment in normalized.Split('/'))
            if (segment == "..") return true;
        return false;
    }

    private static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
            if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
        return false;
    }
}
