using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>What the echo backend received, as it returns it in its JSON body.</summary>
public sealed record EchoedRequest(int Backend, string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body);

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) that answers every request with JSON describing it. Request headers
/// steer it: <c>X-Echo-Status: N</c> answers N, <c>X-Echo-Delay: ms</c> waits first, <c>X-Echo-Response-Name: v</c>
/// sets response header Name.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private EchoBackend(WebApplication app, int id)
    {
        _app = app;
        Id = id;
    }

    public int Id { get; }
    public int Port { get; private set; }
    public int RequestCount => Volatile.Read(ref _requests);
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static async Task<EchoBackend> StartAsync(int id = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var backend = new EchoBackend(app, id);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        if (request.Headers.TryGetValue("X-Echo-Delay", out var delay) && int.TryParse(delay, out var ms))
        {
            try { await Task.Delay(ms, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        string body;
        using (var reader = new StreamReader(request.Body)) body = await reader.ReadToEndAsync();

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
            if (name.StartsWith("X-Echo-Response-", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[name["X-Echo-Response-".Length..]] = value;

        context.Response.StatusCode = request.Headers.TryGetValue("X-Echo-Status", out var status) && int.TryParse(status, out var code) ? code : 200;
        context.Response.Headers["X-Echo-Backend"] = Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var echoed = new EchoedRequest(Id, request.Method, target, headers, body);
        if (context.Response.StatusCode is 204 or 304) return;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, echoed, JsonSerializerOptions.Web);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
