using System.CommandLine;
using Bff.Shared.KeyStore;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>plans set</c>: rate limits and quotas of clients.</summary>
internal static class PlanCommands
{
    public static readonly BffCommandGroup Group = new("plans", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore) return null;
        var json = CommandContext.JsonOption();
        var name = new Argument<string>("name") { Description = "Plan name" };
        var rate = new Option<string?>("--rate") { Description = "Rate limit, e.g. 100/1s" };
        var quota = new Option<string?>("--quota") { Description = "Quota, e.g. 100000/1d" };
        var set = new Command("set", "Create or change a plan") { name, rate, quota, json };
        set.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var rateLimit = Limit(r.GetValue(rate), "--rate");
            var quotaLimit = Limit(r.GetValue(quota), "--quota");
            var plan = await context.Store.SetPlanAsync(r.GetValue(name)!, rateLimit, quotaLimit, AuditActor.Cli(), ct);
            CommandContext.Print(r.GetValue(json), new { plan.Name, rate = rateLimit?.ToString(), quota = quotaLimit?.ToString() }, $"plan {plan.Name} set");
        }));
        return new Command("plans", "Rate limits and quotas of clients") { set };
    }

    private static PlanLimit? Limit(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!PlanLimit.TryParse(text, out var limit)) throw new KeyStoreException($"{option} is count/period, e.g. 100/1s or 100000/1d.", 400);
        return limit;
    }
}
