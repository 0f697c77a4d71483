using System.Net.Http.Json;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bff.Shared.Tests.Sessions;

/// <summary>A web gateway with users (real SQLite file) and sessions (memory, or a shared real redis-server).</summary>
internal sealed class SessionGateway : IAsyncDisposable
{
    private SessionGateway(GatewayTestHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
    }

    public GatewayTestHost Host { get; }
    public FakeTimeProvider Time { get; }

    public static async Task<SessionGateway> StartAsync(string ocelotJson, TempFolder data, string? redis = null, FakeTimeProvider? time = null, IDictionary<string, string?>? extra = null)
    {
        time ??= TestClock.StartingNow();
        var settings = GatewayTestHost.KeyStoreSettings(data, redis);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var host = await GatewayTestHost.StartAsync(ocelotJson, settings,
            services => services.AddSingleton<TimeProvider>(time),
            builder => builder.AddKeyStore().AddSessionAuthentication());
        return new SessionGateway(host, time);
    }

    public Task CreateUserAsync(string username, string password, params string[] roles) =>
        Host.Services.GetRequiredService<UserService>().CreateAsync(username, password, roles, new AuditActor("test"));

    public Browser Browser() => new(Host.CreateClient());

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// A client that keeps the session cookie the way a browser does for this origin (HttpClient would not send a
/// Secure cookie over the test's plain-HTTP loopback) and records the Set-Cookie attributes.
/// </summary>
internal sealed class Browser(HttpClient client) : IDisposable
{
    public string? SessionCookie { get; set; }
    public string? LastSetCookie { get; private set; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, bool csrf = true, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (csrf) request.Headers.Add("X-CSRF", "1");
        if (SessionCookie is not null) request.Headers.Add("Cookie", $"__Host-bffs-session={SessionCookie}; theme=dark");
        request.Content = content ?? (json is null ? null : JsonContent.Create(json));
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies.Where(c => c.StartsWith("__Host-bffs-session=", StringComparison.Ordinal)))
            {
                LastSetCookie = cookie;
                var value = cookie.Split(';')[0]["__Host-bffs-session=".Length..];
                SessionCookie = value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) ? null : value;
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> LoginAsync(string username, string password, bool csrf = true) =>
        SendAsync(HttpMethod.Post, "/bff/login", new { username, password }, csrf);

    public void Dispose() => client.Dispose();
}
