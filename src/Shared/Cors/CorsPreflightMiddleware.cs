using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bff.Shared.Cors;

/// <summary>
/// Answers every CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) that the CORS policy did not
/// answer: 204 without CORS headers. A preflight carries no credentials, so forwarding it would hand a backend an
/// anonymous request on a route that requires sign-in.
/// </summary>
internal sealed class CorsPreflightMiddleware(RequestDelegate next)
{
    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.ContainsKey(HeaderNames.Origin)
        && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsPreflight(context.Request)) return next(context);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
