namespace Bff.Shared.LoadBalancing;

internal enum LoadBalancerType { NoLoadBalancer, RoundRobin, LeastConnection }
