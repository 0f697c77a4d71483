namespace Bff.Shared.Aggregation;

/// <summary>What an aggregate does when parts fail (extension property <c>FailureMode</c>).</summary>
public enum AggregateFailureMode
{
    /// <summary>Failed parts become null, the answer is 200 and describes the failures (default).</summary>
    Partial,
    /// <summary>Any failed part fails the whole aggregate: 502 problem+json naming the failed parts.</summary>
    Strict,
}
