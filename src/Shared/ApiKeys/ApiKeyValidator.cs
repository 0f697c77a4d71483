using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Bff.Shared.KeyStore;
using Bff.Shared.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.ApiKeys;

/// <summary>
/// Checks presented keys: format and checksum first (no database), then the cached record, comparing HMACs in
/// constant time. An unknown id costs the same HMAC as a wrong secret. Failed attempts are counted per client address
/// (the real one behind <c>Gateway:KnownProxies</c>/<c>KnownNetworks</c>) and per key id; an address over the limit
/// is blocked for a while — for keys that are not valid: a valid key is never refused by the block (a partner behind
/// the same NAT as a guesser keeps working). Both maps are size-limited. Successful use updates <c>last_used_at</c>
/// at most once a minute per key.
/// </summary>
internal sealed partial class ApiKeyValidator(
    ApiKeyCache cache, KeyStoreContextFactory contexts, IOptions<ApiKeyOptions> options, TimeProvider time,
    GatewayAlerts alerts, ILogger<ApiKeyValidator> logger)
{
    /// <summary>Addresses counted, and addresses blocked, at most (each map; the oldest make room).</summary>
    internal const int MaxTrackedAddresses = 100_000;

    private static readonly byte[] Dummy = new byte[32];
    private readonly ApiKeyOptions _options = options.Value;
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = MaxTrackedAddresses, CompactionPercentage = 0.1 });
    // Apart from the counters, so a flood of counted addresses cannot crowd a block out.
    private readonly MemoryCache _blocked = new(new MemoryCacheOptions { SizeLimit = MaxTrackedAddresses, CompactionPercentage = 0.1 });
    private readonly ConcurrentDictionary<string, DateTime> _lastUsedWritten = new();

    internal int TrackedCount => _failures.Count + _blocked.Count;

    public async Task<ApiKeyValidation> ValidateAsync(string presented, IPAddress? address, CancellationToken cancellationToken)
    {
        var source = address?.ToString() ?? "unknown";
        var blocked = _blocked.TryGetValue(source, out _);

        if (!ApiKeyCodec.TryParse(presented, out _, out var id)) return Fail(blocked ? ApiKeyFailure.Blocked : ApiKeyFailure.Malformed, source, null);

        ApiKeyRecord? record;
        try
        {
            record = await cache.GetAsync(id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.StoreUnavailable(logger, id, e.GetType().Name);
            return new ApiKeyValidation(ApiKeyFailure.StoreUnavailable, null);
        }

        var actual = ApiKeyCodec.Hash(presented, _options.PepperBytes);
        var matches = CryptographicOperations.FixedTimeEquals(actual, record?.Hash ?? Dummy);
        var now = time.GetUtcNow().UtcDateTime;
        var failure = record is null || !matches ? ApiKeyFailure.Unknown
            : record.RevokedAt is not null ? ApiKeyFailure.Revoked
            : record.ExpiresAt <= now ? ApiKeyFailure.Expired
            : record.ClientDisabled ? ApiKeyFailure.ClientDisabled
            : ApiKeyFailure.None;
        if (failure != ApiKeyFailure.None) return Fail(blocked ? ApiKeyFailure.Blocked : failure, source, id);

        TouchLastUsed(id, now);
        return new ApiKeyValidation(ApiKeyFailure.None, record);
    }

    /// <summary>Counts a failure without a key being checked (e.g. a key sent in the query string).</summary>
    public ApiKeyValidation Fail(ApiKeyFailure failure, IPAddress? address)
    {
        var source = address?.ToString() ?? "unknown";
        return Fail(_blocked.TryGetValue(source, out _) ? ApiKeyFailure.Blocked : failure, source, null);
    }

    private ApiKeyValidation Fail(ApiKeyFailure failure, string source, string? keyId)
    {
        // A spike of failures across all callers (a spread-out brute force the per-address block does not catch).
        if (alerts.Count("auth-failures", ApiKeyDefaults.Scheme, _options.FailureSpikeAlertThreshold))
            alerts.Raise("auth-failures", ApiKeyDefaults.Scheme, LogLevel.Warning,
                $"{_options.FailureSpikeAlertThreshold} failed API key attempts within a minute (possible brute force)",
                new { scheme = ApiKeyDefaults.Scheme, failures = _options.FailureSpikeAlertThreshold });
        if (failure != ApiKeyFailure.Blocked)
        {
            // Counted per address (which gets blocked) and per key id (a key under attack shows in the log).
            var fromAddress = Count("failures:" + source);
            var forKey = keyId is null ? 0 : Count("failures:key:" + keyId);
            Log.Refused(logger, failure, source, keyId ?? "-", fromAddress, forKey);
            if (fromAddress > _options.MaxFailuresPerMinute)
            {
                _blocked.Set(source, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.BlockDuration, Size = 1 });
                Log.Blocked(logger, source, _options.BlockDuration);
            }
        }
        return new ApiKeyValidation(failure, null);
    }

    private int Count(string key)
    {
        var counter = _failures.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            entry.Size = 1;
            return new StrongBox<int>();
        })!;
        return Interlocked.Increment(ref counter.Value);
    }

    private void TouchLastUsed(string id, DateTime now)
    {
        if (_lastUsedWritten.TryGetValue(id, out var last) && now - last < TimeSpan.FromMinutes(1)) return;
        _lastUsedWritten[id] = now;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var db = contexts.Create();
                await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
            }
            catch (Exception e)
            {
                Log.LastUsedFailed(logger, id, e.GetType().Name);
            }
        });
    }

    private sealed class StrongBox<T> where T : struct
    {
        public T Value;
    }

    private static partial class Log
    {
        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.ApiKeyValidatorRefused, LogLevel.Warning, "API key refused: {Reason} from {Source} (key id {KeyId}); failures in the last minute: {AddressFailures} from this address, {KeyFailures} for this key id")]
        public static partial void Refused(ILogger logger, ApiKeyFailure reason, string source, string keyId, int addressFailures, int keyFailures);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.Blocked, LogLevel.Warning, "Address {Source} blocked for {Duration} after too many failed API key attempts")]
        public static partial void Blocked(ILogger logger, string source, TimeSpan duration);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.StoreUnavailable, LogLevel.Error, "Key store unavailable while looking up key id {KeyId} ({ExceptionType}); unknown keys are refused")]
        public static partial void StoreUnavailable(ILogger logger, string keyId, string exceptionType);

        [LoggerMessage(Bff.Shared.Observability.GatewayEventIds.LastUsedFailed, LogLevel.Debug, "Could not record last use of key id {KeyId} ({ExceptionType})")]
        public static partial void LastUsedFailed(ILogger logger, string keyId, string exceptionType);
    }
}
