using System.Diagnostics.Metrics;

namespace Bff.Shared.Observability;

/// <summary>The <c>Bffs.Gateway</c> meter. Instruments are named <c>bff.*</c>.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Bffs.Gateway";

    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _rateLimitDecisions;
    private readonly Counter<long> _rateLimitStoreFailures;
    private readonly Counter<long> _discoveryFailures;
    private readonly Counter<long> _circuitTransitions;
    private readonly Counter<long> _circuitRejections;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _cacheResults;
    private readonly Counter<long> _aggregateParts;
    private readonly Histogram<double> _downstreamDuration;
    private readonly KeyValuePair<string, object?> _bff;

    /// <summary>The BFF this process is (web, mobile, partner): the <c>bff</c> tag.</summary>
    public string Bff { get; }

    public GatewayMetrics(IMeterFactory meters, Microsoft.Extensions.Options.IOptions<Hosting.GatewayOptions> options)
    {
        Bff = options.Value.Name;
        _bff = new("bff", Bff);
        var meter = meters.Create(MeterName);
        _discoveryFailures = meter.CreateCounter<long>("bff.discovery.failures", unit: "{failure}", description: "Service discovery resolutions that gave no instances or failed, by service (the last known instances stay in use)");
        _cacheResults = meter.CreateCounter<long>("bff.cache.results", unit: "{response}", description: "Answers of cached routes by route and result (hit, miss, stale, bypass)");
        _requests = meter.CreateCounter<long>("bff.gateway.requests", unit: "{request}", description: "Gateway routes and aggregates answered, by route, status class and who answered (gateway or downstream)");
        _downstreamDuration = meter.CreateHistogram<double>("bff.downstream.duration", unit: "s", description: "Time from forwarding a request to the end of the downstream answer, by route and destination",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
        _authFailures = meter.CreateCounter<long>("bff.auth.failures", unit: "{failure}", description: "Requests refused 401/403 by route, scheme and reason (missing, a credential failure such as Unknown/Revoked/Expired for API keys or invalid, forbidden)");
        _aggregateParts = meter.CreateCounter<long>("bff.aggregate.parts", unit: "{part}", description: "Aggregate part calls by aggregate route, part key and status class");
        _rateLimitDecisions = meter.CreateCounter<long>("bff.rate_limiting.decisions", unit: "{decision}", description: "Rate-limit decisions by route, policy and result");
        _rateLimitStoreFailures = meter.CreateCounter<long>("bff.rate_limiting.store_failures", unit: "{failure}", description: "Rate-limit decisions Redis could not make in time");
        _circuitTransitions = meter.CreateCounter<long>("bff.circuit.transitions", unit: "{transition}", description: "Circuit-breaker state changes by route, destination and new state");
        _retries = meter.CreateCounter<long>("bff.retries", unit: "{retry}", description: "Downstream attempts repeated by route");
        _circuitRejections = meter.CreateCounter<long>("bff.circuit.rejections", unit: "{request}", description: "Requests answered 503 because every destination's circuit was open");
    }

    public void RateLimitDecision(string route, string policy, bool allowed) =>
        _rateLimitDecisions.Add(1, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("policy", policy),
            new KeyValuePair<string, object?>("result", allowed ? "allowed" : "rejected"));

    public void RateLimitStoreFailure() => _rateLimitStoreFailures.Add(1, _bff);

    public void ServiceDiscoveryFailure(string service) => _discoveryFailures.Add(1, _bff, new KeyValuePair<string, object?>("service", service));

    public void AuthFailure(string route, string scheme, string reason) =>
        _authFailures.Add(1, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("scheme", scheme),
            new KeyValuePair<string, object?>("reason", reason));

    public void AggregatePart(string route, string part, int status) =>
        _aggregateParts.Add(1, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("part", part),
            new KeyValuePair<string, object?>("status_class", StatusClass(status)));

    public void CircuitTransition(string route, string destination, string state) =>
        _circuitTransitions.Add(1, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("destination", destination),
            new KeyValuePair<string, object?>("state", state));

    public void CircuitRejection(string route) => _circuitRejections.Add(1, _bff, new KeyValuePair<string, object?>("route", route));

    public void Retry(string route) => _retries.Add(1, _bff, new KeyValuePair<string, object?>("route", route));

    public void GatewayRequest(string route, int status, string source) =>
        _requests.Add(1, _bff, new KeyValuePair<string, object?>("route", route),
            new KeyValuePair<string, object?>("status_class", StatusClass(status)), new KeyValuePair<string, object?>("source", source));

    public void DownstreamDuration(string route, string destination, double seconds) =>
        _downstreamDuration.Record(seconds, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("destination", destination));

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx", < 300 => "2xx", < 400 => "3xx", < 500 => "4xx", _ => "5xx",
    };

    public void CacheResult(string route, string result) =>
        _cacheResults.Add(1, _bff, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("result", result));
}
