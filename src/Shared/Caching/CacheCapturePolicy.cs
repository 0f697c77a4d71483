using Bff.Shared.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Shared.Caching;

/// <summary>The response cache buffers a body up to <paramref name="limit"/> bytes; a larger one streams through to
/// the client as it arrives, marked <c>X-Cache: BYPASS</c>, and is not stored.</summary>
internal sealed class CacheCapturePolicy(HttpContext context, IHttpResponseBodyFeature original, long limit) : CapturePolicy
{
    public override bool Admit(long buffered, int count) => buffered + count <= limit;

    public override ValueTask<Stream> OverflowAsync(CancellationToken cancellationToken)
    {
        context.Response.Headers["X-Cache"] = "BYPASS";
        return ValueTask.FromResult(original.Stream);
    }
}
