namespace Bff.Shared.Streams;

/// <summary>What a <see cref="CaptureStream"/> may buffer, and what happens to the rest.</summary>
internal abstract class CapturePolicy
{
    /// <summary>Whether <paramref name="count"/> more bytes may be buffered after <paramref name="buffered"/>.</summary>
    public abstract bool Admit(long buffered, int count);

    /// <summary>Called once, for the first write that is not admitted: the stream the buffered bytes and everything
    /// after go to (stream-through), or an exception that ends the response.</summary>
    public abstract ValueTask<Stream> OverflowAsync(CancellationToken cancellationToken);
}
