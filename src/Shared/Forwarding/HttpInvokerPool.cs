using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Bff.Shared.Observability;
using Bff.Shared.Resilience;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>
/// One pooled <see cref="HttpMessageInvoker"/> per distinct <c>HttpHandlerOptions</c> (Ocelot keeps one per route).
/// Invokers survive configuration reloads, so in-flight requests and warm connections are never lost; all are
/// disposed with the host.
/// </summary>
internal sealed class HttpInvokerPool(TimeProvider time, GatewayMetrics? metrics, ILogger<HttpInvokerPool>? logger) : IDisposable
{
    private readonly ConcurrentDictionary<InvokerSettings, Lazy<Pair>> _invokers = new();

    public HttpInvokerPool() : this(TimeProvider.System, null, null) { }

    /// <summary>Two invokers over one connection pool: routes with <c>RetryOptions</c> go through the
    /// <see cref="RetryHandler"/>, all others straight to the socket handler (no extra async step per request).</summary>
    private sealed record Pair(SocketsHttpHandler Handler, HttpMessageInvoker Direct, HttpMessageInvoker WithRetries);

    // Lazy: two loads racing for the same settings must not each create (and leak) a connection pool.
    public HttpMessageInvoker Get(InvokerSettings settings, bool retries = false)
    {
        var pair = _invokers.GetOrAdd(settings, s => new Lazy<Pair>(() => Create(s))).Value;
        return retries ? pair.WithRetries : pair.Direct;
    }

    private Pair Create(InvokerSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = settings.UseProxy,
            AllowAutoRedirect = settings.AllowAutoRedirect,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromSeconds(settings.PooledConnectionLifetimeSeconds),
            MaxConnectionsPerServer = settings.MaxConnectionsPerServer,
            // Replaces an inbound traceparent with the gateway's own span context (W3C propagation).
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        };
        if (settings.DangerousAcceptAnyServerCertificate)
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        // Retries happen in the handler, before YARP sees an answer. The handler is disposed once, with the pool.
        return new Pair(handler, new HttpMessageInvoker(handler, disposeHandler: false),
            new HttpMessageInvoker(new RetryHandler(handler, time, metrics, logger), disposeHandler: false));
    }

    public void Dispose()
    {
        foreach (var pair in _invokers.Values.Where(i => i.IsValueCreated).Select(i => i.Value)) pair.Handler.Dispose();
        _invokers.Clear();
    }
}
