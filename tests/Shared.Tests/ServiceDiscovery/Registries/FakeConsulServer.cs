using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.ServiceDiscovery.Registries;

/// <summary>
/// A local server speaking Consul's health API (Consul cannot run here): <c>GET /v1/health/service/{name}</c> with
/// <c>passing</c> (only entries whose checks pass), blocking queries (<c>index</c> at or above the current
/// <c>X-Consul-Index</c> waits up to <c>wait</c> for a change) and ACL tokens (<c>X-Consul-Token</c>; a wrong one is
/// 403 "ACL not found"). Each entry has a node whose name and address are not the instance's — only the service
/// address reaches it — and a failing entry the gateway must not use.
/// </summary>
internal sealed class FakeConsulServer : ITestRegistry
{
    private readonly string? _token;
    private readonly object _lock = new();
    private List<object> _entries = [];
    private ulong _index = 1;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _down;

    private TestBackend _server = null!;

    private FakeConsulServer(string? token, string type, int pollingInterval) => (_token, Type, PollingInterval) = (token, type, pollingInterval);

    public string Type { get; }
    public int PollingInterval { get; }
    public int Port => _server.Port;
    public int Requests;
    public int BlockingRequests;

    public string Provider => $$"""{ "Type": "{{Type}}", "Host": "127.0.0.1", "Port": {{Port}}, "Token": "{{_token}}", "PollingInterval": {{PollingInterval}} }""";

    public static async Task<FakeConsulServer> StartAsync(string type = "Consul", string? token = "consul-acl-token-1", int pollingInterval = 0)
    {
        var server = new FakeConsulServer(token, type, pollingInterval);
        server._server = await TestBackend.StartAsync(server.HandleAsync);
        return server;
    }

    public Task SetAsync(params EchoBackend[] instances)
    {
        var entries = new List<object>();
        for (var i = 0; i < instances.Length; i++)
        {
            // The node's name and address lead nowhere; the service registered its own address.
            entries.Add(Entry($"node-{i}", "10.255.255.1", "127.0.0.1", instances[i].Port, "passing"));
        }
        // An instance whose check fails: never a destination.
        if (instances.Length > 0) entries.Add(Entry("node-sick", "127.0.0.1", "127.0.0.1", FreePort.Dead(), "critical"));
        SetEntries(entries);
        return Task.CompletedTask;
    }

    /// <summary>An entry whose service registered no address: Consul's rule is the node's address.</summary>
    public void AddWithNodeAddressOnly(EchoBackend backend)
    {
        lock (_lock) SetEntries([.. _entries, Entry("node-plain", "127.0.0.1", "", backend.Port, "passing")]);
    }

    private static Dictionary<string, object> Entry(string node, string nodeAddress, string serviceAddress, int port, string status) => new()
    {
        ["Node"] = new Dictionary<string, object> { ["ID"] = Guid.NewGuid().ToString(), ["Node"] = node, ["Address"] = nodeAddress, ["Datacenter"] = "dc1" },
        ["Service"] = new Dictionary<string, object> { ["ID"] = $"orders-{port}", ["Service"] = "orders", ["Tags"] = Array.Empty<string>(), ["Address"] = serviceAddress, ["Port"] = port },
        ["Checks"] = new[] { new Dictionary<string, object> { ["Node"] = node, ["CheckID"] = "service:orders", ["Status"] = status } },
    };

    private void SetEntries(List<object> entries)
    {
        lock (_lock)
        {
            _entries = entries;
            _index++;
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task GoDownAsync()
    {
        _down = true;
        lock (_lock) _changed.TrySetResult(); // blocked queries return (and are dropped)
        return Task.CompletedTask;
    }

    public Task ComeBackAsync()
    {
        _down = false;
        return Task.CompletedTask;
    }

    private const string HealthPath = "/v1/health/service/";

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (context.Request.Method != "GET" || !path.StartsWith(HealthPath, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }
        return HealthAsync(context, Uri.UnescapeDataString(path[HealthPath.Length..]));
    }

    private async Task HealthAsync(HttpContext context, string name)
    {
        Interlocked.Increment(ref Requests);
        if (_down)
        {
            context.Abort();
            return;
        }
        if (_token is not null && context.Request.Headers["X-Consul-Token"] != _token)
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("ACL not found");
            return;
        }
        Task changed;
        ulong index;
        lock (_lock) (changed, index) = (_changed.Task, _index);
        if (ulong.TryParse(context.Request.Query["index"], out var wanted) && wanted >= index)
        {
            Interlocked.Increment(ref BlockingRequests);
            var wait = TimeSpan.FromSeconds(int.Parse(context.Request.Query["wait"].ToString().TrimEnd('s'), CultureInfo.InvariantCulture));
            await Task.WhenAny(changed, Task.Delay(wait, context.RequestAborted));
            if (_down)
            {
                context.Abort();
                return;
            }
        }
        List<object> entries;
        lock (_lock) (entries, index) = (_entries, _index);
        var passing = context.Request.Query.ContainsKey("passing");
        var answer = name == "orders" ? entries.Where(e => !passing || IsPassing(e)).ToList() : [];
        context.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(answer));
    }

    private static bool IsPassing(object entry) =>
        ((Dictionary<string, object>[])((Dictionary<string, object>)entry)["Checks"]).All(c => (string)c["Status"] == "passing");

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
