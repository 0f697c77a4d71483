using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bff.Shared.Problems;
using Bff.Shared.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Users;

/// <summary>
/// Sign-in throttling on the rate limiter's store (Redis when <c>ConnectionStrings:Redis</c> is set, so replicas share
/// it; else in process): <c>Users:SignInLimitPerAddress</c> and <c>Users:SignInLimitPerUser</c> per minute (429), and
/// the failure count of a username (<c>Users:MaxFailedLogins</c> within <c>Users:LockoutDuration</c>). Known and
/// unknown usernames are counted the same way, in the store only — no database write tells them apart.
/// </summary>
internal sealed partial class SignInThrottle(IRateLimitStore store, IOptions<UserOptions> options, ILogger<SignInThrottle> logger)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly UserOptions _options = options.Value;

    /// <summary>
    /// Applies the per-address limit, then (when the request names one) the per-username limit. When either is
    /// exhausted, writes 429 problem+json with Retry-After and returns true.
    /// </summary>
    public async Task<bool> RefuseAsync(HttpContext context, string? username)
    {
        var address = AddressKey(context.Connection.RemoteIpAddress);
        // Two decisions, each on one hash tag (one Redis Cluster slot): the address's, then the username's.
        if (_options.SignInLimitPerAddress > 0
            && await RefusedAsync(context, $"bffs:signin:{{a:{address}}}:rate", "signin-address", _options.SignInLimitPerAddress, address))
            return true;
        return username is not null && _options.SignInLimitPerUser > 0
            && await RefusedAsync(context, $"bffs:signin:{{u:{UserKey(username)}}}:rate", "signin-user", _options.SignInLimitPerUser, address);
    }

    /// <summary>Takes one of the username's <c>MaxFailedLogins</c> check slots, atomically (a Redis INCR across replicas).
    /// Not allowed: the username is locked. The slot stays taken unless the sign-in succeeds.</summary>
    public async ValueTask<SignInSlot> TakeCheckAsync(string username, CancellationToken cancellationToken)
    {
        var rule = new RateLimitRule("signin-failures", Math.Max(1, _options.MaxFailedLogins), _options.LockoutDuration, _options.LockoutDuration, RateLimitAlgorithm.FixedWindow);
        var result = (await DecideAsync(new LimitCheck(FailuresKey(username), rule), cancellationToken))[0];
        return new SignInSlot(result.Allowed, result.Allowed && result.Remaining == 0);
    }

    /// <summary>A successful sign-in: the username's failures are forgotten.</summary>
    public ValueTask ForgetFailuresAsync(string username) => store.ForgetAsync(FailuresKey(username), CancellationToken.None);

    private async Task<bool> RefusedAsync(HttpContext context, string key, string policy, int limit, string address)
    {
        var rule = new RateLimitRule(policy, limit, Minute, TimeSpan.Zero, RateLimitAlgorithm.SlidingWindow);
        var result = (await DecideAsync(new LimitCheck(key, rule), context.RequestAborted))[0];
        if (result.Allowed) return false;
        Log.Refused(logger, policy, address);
        var retryAfter = (long)Math.Ceiling(Math.Max(1, result.RetryAfter.TotalSeconds));
        await GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            "Too many sign-in attempts; try again later.",
            problem =>
            {
                problem.Type = RouteRateLimitMiddleware.ProblemType;
                problem.Extensions["violated-policies"] = new[] { policy };
            },
            ("Retry-After", retryAfter.ToString(CultureInfo.InvariantCulture)));
        return true;
    }

    // Strict on Redis: a slow Redis must not turn into per-replica counting (N × the limit), nor into no limit at all.
    private ValueTask<LimitResult[]> DecideAsync(LimitCheck check, CancellationToken cancellationToken) =>
        store is ResilientRateLimitStore resilient ? resilient.DecideAsync([check], strict: true, cancellationToken) : store.DecideAsync([check], cancellationToken);

    private static string FailuresKey(string username) => $"bffs:signin:{{u:{UserKey(username)}}}:failures";

    /// <summary>Case and surrounding spaces do not make another username here; hashed, so keys carry no user input.</summary>
    private static string UserKey(string username)
    {
        var normal = username.Trim().ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)))[..32];
    }

    /// <summary>IPv4 as is (mapped IPv6 unmapped); IPv6 by its /64, which one client usually holds whole.</summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.SignInThrottleRefused, LogLevel.Warning, "Sign-in refused by {Policy} for {Address}: too many attempts within a minute")]
        public static partial void Refused(ILogger logger, string policy, string address);
    }
}
