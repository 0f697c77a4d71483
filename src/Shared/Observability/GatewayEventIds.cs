namespace Bff.Shared.Observability;

/// <summary>
/// Every event id the gateway logs with, in one list so they stay unique and can be grepped: each
/// <c>[LoggerMessage]</c> names its id from here (hundreds by area: 1xx configuration, 2xx aggregation, 3xx API keys,
/// 4xx rate limiting, 5xx cache, 7xx resilience, 8xx forwarding, 9xx observability, 1000+ hosting and users).
/// </summary>
internal static class GatewayEventIds
{
    public const int Loaded = 1;
    public const int Reloaded = 2;
    public const int ReloadRejected = 3;
    public const int ConfigError = 4;
    public const int ConfigWarning = 5;
    public const int ReloadFailed = 6;
    public const int ClientAborted = 100;
    public const int DownstreamTimeout = 101;
    public const int DownstreamFailed = 102;
    public const int FanOutRefused = 200;
    public const int AggregateFailed = 201;
    public const int PartFailed = 202;
    public const int ApiKeyValidatorRefused = 300;
    public const int Blocked = 301;
    public const int StoreUnavailable = 302;
    public const int LastUsedFailed = 303;
    public const int RedisFailed = 400;
    public const int StrictTimedOut = 401;
    public const int RedisUnavailable = 402;
    public const int SessionTouchFailed = 403;
    public const int SessionReadRetried = 404;
    public const int NoStableIdentity = 500;
    public const int Opened = 700;
    public const int HalfOpened = 701;
    public const int Closed = 702;
    public const int Rejected = 703;
    public const int Draining = 710;
    public const int Retrying = 720;
    public const int Request = 800;
    public const int ServiceResolved = 850;
    public const int ServiceUnresolved = 851;
    public const int ServiceStale = 852;
    public const int OidcTokenRefreshed = 860;
    public const int OidcRefreshRefused = 861;
    public const int OidcRefreshLockUnavailable = 862;
    public const int OidcSignedIn = 863;
    public const int OidcBackChannelLogout = 864;
    public const int OidcLogoutTokenRefused = 865;
    public const int OidcSignInFailed = 866;
    public const int Alert = 900;
    public const int WebhookFailed = 901;
    public const int Listening = 950;
    public const int NoFrontend = 1000;
    public const int DemoUserCreated = 1010;
    public const int DemoUserIgnored = 1011;
    public const int SignInThrottleRefused = 1020;
}
