namespace Bff.Shared.Aggregation;

internal static class AggregateDefaults
{
    public const int MaxFanOut = 50;
    public const long MaxResponseBytes = 8 * 1024 * 1024;
}
