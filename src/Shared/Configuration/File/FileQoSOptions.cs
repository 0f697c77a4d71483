namespace Bff.Shared.Configuration.File;

internal class FileQoSOptions
{
    public int? MinimumThroughput { get; set; }
    public int? ExceptionsAllowedBeforeBreaking { get; set; }
    public int? BreakDuration { get; set; }
    public int? DurationOfBreak { get; set; }
    public double? FailureRatio { get; set; }
    public int? SamplingDuration { get; set; }
    public int? Timeout { get; set; }
    public int? TimeoutValue { get; set; }

    /// <summary>Ocelot: QoS is "used" when any of these is positive (legacy names win).</summary>
    public bool IsUsed =>
        (ExceptionsAllowedBeforeBreaking ?? MinimumThroughput) > 0
        || (TimeoutValue ?? Timeout) > 0
        || FailureRatio > 0;
}
