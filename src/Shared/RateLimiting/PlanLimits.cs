using Bff.Shared.KeyStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Bff.Shared.RateLimiting;

/// <summary>A partner plan's limits (rate and quota from the key store), cached for 30 s per plan.</summary>
internal sealed class PlanLimits(IServiceProvider services)
{
    private readonly MemoryCache _plans = new(new MemoryCacheOptions());

    public async ValueTask<RateLimitRule[]> RulesAsync(string plan, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue(plan, out RateLimitRule[]? cached)) return cached!;
        if (services.GetService(typeof(KeyStoreContextFactory)) is not KeyStoreContextFactory contexts) return [];
        RateLimitRule[] rules;
        try
        {
            await using var db = contexts.Create();
            var entity = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Name == plan, cancellationToken);
            var list = new List<RateLimitRule>();
            if (entity?.RateLimit is { } rate && entity.RatePeriod is { } ratePeriod)
                list.Add(new RateLimitRule("plan-rate", rate, ratePeriod, TimeSpan.Zero, RateLimitAlgorithm.FixedWindow));
            if (entity?.QuotaLimit is { } quota && entity.QuotaPeriod is { } quotaPeriod)
                list.Add(new RateLimitRule("plan-quota", quota, quotaPeriod, TimeSpan.Zero, RateLimitAlgorithm.FixedWindow));
            rules = [.. list];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The key store is down: the plan is unknown for now (asked again in 5 s), the route's own limits apply.
            _plans.Set(plan, Array.Empty<RateLimitRule>(), TimeSpan.FromSeconds(5));
            return [];
        }
        _plans.Set(plan, rules, TimeSpan.FromSeconds(30));
        return rules;
    }
}
