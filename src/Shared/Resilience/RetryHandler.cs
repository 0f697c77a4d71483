using System.Net;
using System.Runtime.ExceptionServices;
using Bff.Shared.Observability;
using Microsoft.Extensions.Logging;

namespace Bff.Shared.Resilience;

/// <summary>
/// Retries inside the HTTP client, below YARP: a failed attempt (connection failure, attempt timeout, 502/503/504)
/// is discarded before YARP sees it, so nothing has been streamed to the caller yet. Requests of a route without
/// <c>RetryOptions</c>, non-idempotent requests and requests with a body pass straight through, once.
/// </summary>
internal sealed partial class RetryHandler(HttpMessageHandler inner, TimeProvider time, GatewayMetrics? metrics, ILogger? logger) : DelegatingHandler(inner)
{
    /// <summary>Set by the request transform for routes with retries.</summary>
    public static readonly HttpRequestOptionsKey<RouteRetryModel> OptionsKey = new("Bffs.Retry");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(OptionsKey, out var retry) || !retry.Allows(request))
            return await base.SendAsync(request, cancellationToken);

        retry.Budget.RecordRequest();
        for (var attempt = 0; ; attempt++)
        {
            var message = attempt == 0 ? request : Copy(request);
            HttpResponseMessage? response = null;
            ExceptionDispatchInfo? failure = null;
            using var attemptTimeout = retry.AttemptTimeout is { } t ? new CancellationTokenSource(t, time) : null;
            using var linked = attemptTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
            try
            {
                response = await base.SendAsync(message, linked?.Token ?? cancellationToken);
                if (response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                    return response;
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The attempt timed out (ours, or the handler's connect timeout): a timeout (504) if no retry follows.
                failure = ExceptionDispatchInfo.Capture(new TimeoutException($"The downstream did not answer within {retry.AttemptTimeout}."));
            }

            if (attempt >= retry.Count || !retry.Budget.TryRetry())
            {
                failure?.Throw();
                return response!;
            }

            response?.Dispose();
            metrics?.Retry(retry.RouteId);
            if (logger is not null) Log.Retrying(logger, retry.RouteId, attempt + 1, response is null ? failure!.SourceException.GetType().Name : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Task.Delay(retry.Backoff(attempt), time, cancellationToken);
        }
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        foreach (var option in request.Options) ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        return copy;
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Retrying, LogLevel.Warning, "Retrying route {RouteId} (retry {Retry}) after {Failure}")]
        public static partial void Retrying(ILogger logger, string routeId, int retry, string failure);
    }
}
