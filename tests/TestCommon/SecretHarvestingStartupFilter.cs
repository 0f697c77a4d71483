using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>
/// Test instrumentation in front of every in-process host: registers with <see cref="TestRunLog"/> the credentials
/// that pass through — API key and Authorization headers, cookies both ways, api_key query values, and the secret
/// fields of the JSON/form bodies of sign-in, token and admin calls (passwords, tokens, new API keys).
/// </summary>
public sealed class SecretHarvestingStartupFilter : IStartupFilter
{
    private const int MaxBody = 64 * 1024;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(HarvestAsync);
        next(app);
    };

    private static async Task HarvestAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                foreach (var value in values) TestRunLog.Secret(value?[(value.IndexOf(' ', StringComparison.Ordinal) + 1)..], "Authorization header");
            else if (name.Contains("Api-Key", StringComparison.OrdinalIgnoreCase) || name.Contains("ApiKey", StringComparison.OrdinalIgnoreCase))
                foreach (var value in values) TestRunLog.Secret(value, $"{name} header");
        }
        foreach (var (_, value) in request.Cookies) TestRunLog.Secret(value, "cookie");
        foreach (var (name, values) in request.Query)
            if (name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase))
                foreach (var value in values) TestRunLog.Secret(value, $"query {name}");

        var interesting = IsCredentialCall(request.Path);
        if (interesting && request.ContentLength is null or (> 0 and <= MaxBody))
        {
            request.EnableBuffering();
            var buffer = new char[MaxBody];
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            var read = await reader.ReadBlockAsync(buffer, context.RequestAborted);
            TestRunLog.Harvest(new string(buffer, 0, read), "request body");
            request.Body.Position = 0;
        }

        context.Response.OnStarting(static state =>
        {
            foreach (var cookie in ((HttpContext)state).Response.Headers.SetCookie)
                if (cookie is not null && cookie.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
                    TestRunLog.Secret(cookie[(eq + 1)..].Split(';')[0], "Set-Cookie");
            return Task.CompletedTask;
        }, context);

        if (!interesting)
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        using var copy = new MemoryStream();
        context.Response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        TestRunLog.Harvest(Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)Math.Min(copy.Length, MaxBody)), "response body");
        copy.Position = 0;
        await copy.CopyToAsync(original, context.RequestAborted);
    }

    private static bool IsCredentialCall(PathString path) =>
        path.StartsWithSegments("/bff") || path.StartsWithSegments("/auth") || path.StartsWithSegments("/admin") || path.StartsWithSegments("/connect") || path.StartsWithSegments("/oauth");
}

public static class RunLogWebHostBuilderExtensions
{
    /// <summary>Records the host's log output into <see cref="TestRunLog"/> and harvests the secrets it is sent.</summary>
    public static IWebHostBuilder UseTestRunLog(this IWebHostBuilder builder) => builder
        .ConfigureLogging(logging => logging.AddProvider(TestRunLog.Provider))
        .ConfigureServices(services => services.AddSingleton<IStartupFilter, SecretHarvestingStartupFilter>());
}
