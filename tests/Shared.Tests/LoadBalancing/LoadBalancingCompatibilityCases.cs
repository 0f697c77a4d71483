using Bff.Shared.Tests.Compatibility;
using static Bff.Shared.Tests.Compatibility.CompatibilityCaseBuilder;

namespace Bff.Shared.Tests.LoadBalancing;

/// <summary>
/// The load-balancing rows of the Ocelot 25 compatibility table (<see cref="CompatibilityCases"/> runs them):
/// NoLoadBalancer / RoundRobin / LeastConnection host choice, and dead hosts (no failover).
/// </summary>
internal static class LoadBalancingCompatibilityCases
{
    private const string DevRefused = "Connection refused: 502 problem+json (Ocelot: 502 with empty body)";

    private const string B1B2 = """[ { "Host": "127.0.0.1", "Port": {{PORT}} }, { "Host": "127.0.0.1", "Port": {{PORT2}} } ]""";
    private const string B2B1 = """[ { "Host": "127.0.0.1", "Port": {{PORT2}} }, { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    private const string DeadB1 = """[ { "Host": "127.0.0.1", "Port": {{DEAD}} }, { "Host": "127.0.0.1", "Port": {{PORT}} } ]""";
    private const string DeadOnly = """[ { "Host": "127.0.0.1", "Port": {{DEAD}} } ]""";

    public static IEnumerable<CompatibilityCase> All() => LoadBalancing();

    private static IEnumerable<CompatibilityCase> LoadBalancing()
    {
        // §5.4, §6.6 — NoLoadBalancer (default) = first host; RoundRobin / LeastConnection: first request → first host
        yield return new("LoadBalancer_RoundRobin_FirstRequestGoesToFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, B1B2)), Get("/lb"), Ok("/api/lb", 1));
        yield return new("LoadBalancer_RoundRobin_FirstHostFollowsListOrder",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_NoLoadBalancer_UsesFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "NoLoadBalancer" } """, B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_Default_IsNoLoadBalancer_UsesFirstHost",
            Config(Route("/lb", "/api/lb", hosts: B2B1)), Get("/lb"), Ok("/api/lb", 2));
        yield return new("LoadBalancer_LeastConnection_SingleRequest_UsesFirstHost",
            Config(Route("/lb", "/api/lb", """ "LoadBalancerOptions": { "Type": "LeastConnection" } """, B1B2)), Get("/lb"), Ok("/api/lb", 1));

        // §7 — connection refused → 502 (deviation 3: problem+json); no failover (Further observations)
        yield return new("LoadBalancer_NoLoadBalancer_DeadFirstHost_502",
            Config(Route("/lb-dead", "/api/lb-dead", """ "LoadBalancerOptions": { "Type": "NoLoadBalancer" } """, DeadB1)),
            Get("/lb-dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
        yield return new("LoadBalancer_RoundRobin_DeadFirstHost_NoFailover_502",
            Config(Route("/lb-dead", "/api/lb-dead", """ "LoadBalancerOptions": { "Type": "RoundRobin" } """, DeadB1)),
            Get("/lb-dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
        yield return new("Downstream_ConnectionRefused_502",
            Config(Route("/dead", "/api/dead", hosts: DeadOnly)),
            Get("/dead"), new(502, Backend: 0, ProblemJson: true), DevRefused);
    }
}
