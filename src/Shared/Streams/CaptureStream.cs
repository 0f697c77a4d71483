namespace Bff.Shared.Streams;

/// <summary>
/// A write-only response body that buffers what is written, as far as its <see cref="CapturePolicy"/> admits: the
/// aggregate's parts (counted against the aggregate's size limit; over it the aggregate fails) and the response cache
/// (up to the largest cacheable body; over it the answer streams through uncached).
/// </summary>
internal sealed class CaptureStream(CapturePolicy policy) : Stream
{
    private readonly MemoryStream _buffer = new();
    private Stream? _through;

    /// <summary>The policy sent the body on instead of buffering it.</summary>
    public bool StreamedThrough => _through is not null;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _buffer.Length;
    public override long Position { get => _buffer.Position; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_through is null && policy.Admit(_buffer.Length, buffer.Length))
        {
            _buffer.Write(buffer.Span);
            return;
        }
        if (_through is null)
        {
            _through = await policy.OverflowAsync(cancellationToken);
            await _through.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
            _buffer.SetLength(0);
        }
        await _through.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_through is null && policy.Admit(_buffer.Length, buffer.Length)) _buffer.Write(buffer);
        else WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => _through?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The buffered body, without copying (valid until the stream is written again).</summary>
    public ReadOnlyMemory<byte> ToMemory() => new(_buffer.GetBuffer(), 0, (int)_buffer.Length);

    /// <summary>A copy of the buffered body; empty once it streamed through.</summary>
    public byte[] ToArray() => StreamedThrough ? [] : _buffer.ToArray();
}
