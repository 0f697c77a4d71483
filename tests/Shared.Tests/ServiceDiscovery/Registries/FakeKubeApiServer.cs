using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Tests.ServiceDiscovery.Registries;

/// <summary>
/// A local server speaking the Kubernetes API's EndpointSlice list and watch protocol (an API server cannot run
/// here): <c>GET /apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector=kubernetes.io/service-name=…</c>
/// answers an <c>EndpointSliceList</c> with a resourceVersion; with <c>watch=true</c> it streams
/// <c>{"type":"ADDED|MODIFIED|DELETED","object":…}</c> lines of every change after the given resourceVersion until
/// <c>timeoutSeconds</c>. A bearer token is required. Each instance is one slice, with a <c>metrics</c> port before the
/// <c>http</c> one and, beside the ready endpoint, one that is not ready.
/// </summary>
internal sealed class FakeKubeApiServer : ITestRegistry
{
    public const string Token = "kube-sa-token-1";
    private readonly object _lock = new();
    private readonly List<(long Version, WatchEventType Type, V1EndpointSlice Slice)> _events = [];
    private Dictionary<string, V1EndpointSlice> _slices = [];
    private long _version = 100;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _down;

    private TestBackend _server = null!;

    private FakeKubeApiServer(string type, string ns) => (Type, Namespace) = (type, ns);

    public string Type { get; }
    public string Namespace { get; }
    public int Port => _server.Port;
    public int Lists;
    public int Watches;

    public string Provider => $$"""{ "Type": "{{Type}}", "Scheme": "http", "Host": "127.0.0.1", "Port": {{Port}}, "Token": "{{Token}}", "Namespace": "{{Namespace}}", "PollingInterval": 300 }""";

    public static async Task<FakeKubeApiServer> StartAsync(string type = "WatchKube", string ns = "shop")
    {
        var server = new FakeKubeApiServer(type, ns);
        server._server = await TestBackend.StartAsync(server.HandleAsync);
        return server;
    }

    public Task SetAsync(params EchoBackend[] instances)
    {
        var next = instances.ToDictionary(i => $"orders-{i.Id}", i => Slice($"orders-{i.Id}", i.Port));
        lock (_lock)
        {
            foreach (var gone in _slices.Keys.Except(next.Keys)) Record(WatchEventType.Deleted, _slices[gone]);
            foreach (var (name, slice) in next) Record(_slices.ContainsKey(name) ? WatchEventType.Modified : WatchEventType.Added, slice);
            _slices = next;
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return Task.CompletedTask;
    }

    private void Record(WatchEventType type, V1EndpointSlice slice)
    {
        var version = ++_version;
        var copy = KubernetesJson.Deserialize<V1EndpointSlice>(KubernetesJson.Serialize(slice));
        copy.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
        _events.Add((version, type, copy));
    }

    private V1EndpointSlice Slice(string name, int port) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        AddressType = "IPv4",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "orders" } },
        Ports = [new Discoveryv1EndpointPort { Name = "metrics", Port = FreePort.Dead(), Protocol = "TCP" }, new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
        Endpoints =
        [
            new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true } },
            new V1Endpoint { Addresses = ["127.0.0.2"], Conditions = new V1EndpointConditions { Ready = false, Terminating = true } },
        ],
    };

    public Task GoDownAsync()
    {
        _down = true;
        lock (_lock) _changed.TrySetResult(); // open watches end
        return Task.CompletedTask;
    }

    public Task ComeBackAsync()
    {
        _down = false;
        return Task.CompletedTask;
    }

    /// <summary>GET /apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices; anything else 404.</summary>
    private Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").Split('/');
        if (context.Request.Method != "GET" || segments is not ["", "apis", "discovery.k8s.io", "v1", "namespaces", { Length: > 0 } ns, "endpointslices"])
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }
        return EndpointSlicesAsync(context, Uri.UnescapeDataString(ns));
    }

    private async Task EndpointSlicesAsync(HttpContext context, string ns)
    {
        if (_down)
        {
            context.Abort();
            return;
        }
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { kind = "Status", apiVersion = "v1", status = "Failure", message = "Unauthorized", reason = "Unauthorized", code = 401 });
            return;
        }
        var query = context.Request.Query;
        var ours = ns == Namespace && query["labelSelector"] == "kubernetes.io/service-name=orders";
        context.Response.ContentType = "application/json";
        if (query["watch"] is not ["true"] && query["watch"] is not ["1"])
        {
            Interlocked.Increment(ref Lists);
            V1EndpointSliceList list;
            lock (_lock)
                list = new V1EndpointSliceList { ApiVersion = "discovery.k8s.io/v1", Kind = "EndpointSliceList", Metadata = new V1ListMeta { ResourceVersion = _version.ToString(CultureInfo.InvariantCulture) }, Items = ours ? [.. _slices.Values] : [] };
            await context.Response.WriteAsync(KubernetesJson.Serialize(list));
            return;
        }
        Interlocked.Increment(ref Watches);
        await WatchAsync(context, ours, long.Parse(query["resourceVersion"].ToString(), CultureInfo.InvariantCulture), int.Parse(query["timeoutSeconds"].ToString(), CultureInfo.InvariantCulture));
    }

    private async Task WatchAsync(HttpContext context, bool ours, long after, int timeoutSeconds)
    {
        await context.Response.StartAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            while (!timeout.IsCancellationRequested)
            {
                List<(long Version, WatchEventType Type, V1EndpointSlice Slice)> events;
                Task changed;
                lock (_lock) (events, changed) = (_events.Where(e => e.Version > after).ToList(), _changed.Task);
                foreach (var e in ours ? events : [])
                {
                    await context.Response.WriteAsync(KubernetesJson.Serialize(new { type = e.Type.ToString().ToUpperInvariant(), @object = e.Slice }) + "\n", timeout.Token);
                    after = e.Version;
                }
                await context.Response.Body.FlushAsync(timeout.Token);
                await changed.WaitAsync(timeout.Token);
                if (_down)
                {
                    context.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
