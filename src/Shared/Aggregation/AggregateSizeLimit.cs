using Bff.Shared.Streams;

namespace Bff.Shared.Aggregation;

/// <summary>A part's answer is buffered while the whole aggregate stays within MaxResponseBytes; past it the part
/// fails with <see cref="AggregateTooLargeException"/> and the aggregate answers 502.</summary>
internal sealed class AggregateSizeLimit(AggregateRun run) : CapturePolicy
{
    public override bool Admit(long buffered, int count) => run.TryCount(count);

    public override ValueTask<Stream> OverflowAsync(CancellationToken cancellationToken) => throw new AggregateTooLargeException();
}
