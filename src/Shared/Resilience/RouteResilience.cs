namespace Bff.Shared.Resilience;

/// <summary>A route's timeouts, circuit breaker and retries.</summary>
internal sealed record RouteResilience(RouteQosModel? Qos, RouteRetryModel? Retry, TimeSpan ActivityTimeout);
