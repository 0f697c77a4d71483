using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Problems;

internal static class GatewayProblems
{
    /// <summary>The end of the pipeline: nothing matched. Ocelot answers an empty 404; we answer problem+json.</summary>
    public static Task NotFound(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", "No route matches this request.");

    /// <summary>Types for statuses ASP.NET Core's defaults do not cover (they fill in the rest).</summary>
    private static string? TypeFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => null,
    };

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail,
        Action<ProblemDetails>? extend = null, params (string Name, string Value)[] headers)
    {
        if (context.Response.HasStarted) return;
        context.Features.Set(GatewayAnswerFeature.Instance);
        context.Response.Clear();
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers) context.Response.Headers[name] = value;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) };
        extend?.Invoke(problem);
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
