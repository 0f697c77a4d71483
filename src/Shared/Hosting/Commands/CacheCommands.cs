using System.CommandLine;
using Bff.Shared.Caching;
using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>cache purge --region|--route</c>: purges response cache entries on every replica (through Redis).</summary>
internal static class CacheCommands
{
    public static readonly BffCommandGroup Group = new("cache", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null; // the purge is audited in the key store's audit log
        var json = CommandContext.JsonOption();
        var region = new Option<string?>("--region") { Description = "Purge every entry of this region" };
        var route = new Option<string?>("--route") { Description = "Purge every entry of this route (its Key)" };
        var purge = new Command("purge", "Purge response cache entries on every replica (needs ConnectionStrings:Redis to reach running hosts)") { region, route, json };
        purge.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            var cache = context.Services.GetRequiredService<ResponseCache>();
            var (regionName, routeKey) = (r.GetValue(region), r.GetValue(route));
            if (regionName is null == routeKey is null) throw new KeyStoreException("Give exactly one of --region and --route.", 400);
            await context.ReadyAsync(ct);
            if (regionName is not null) await cache.PurgeRegionAsync(regionName, ct);
            else await cache.PurgeRouteAsync(routeKey!, ct);
            var target = regionName is not null ? $"region:{regionName}" : $"route:{routeKey}";
            await context.Services.GetRequiredService<AuditLog>().WriteAsync(AuditActor.Cli(), "cache.purge", target, "success", null, ct);
            CommandContext.Print(r.GetValue(json), new { purged = target }, $"purged {target}");
        }));
        return new Command("cache", "The response cache") { purge };
    }
}
