using Bff.Shared.Forwarding;
using Bff.Shared.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Shared.Aggregation;

/// <summary>
/// What an aggregate checks before it reads anything big: a GET/HEAD aggregate takes no body (400); when every part
/// needs a signed-in caller, the caller must authenticate with one of the parts' schemes first (401 from the first
/// scheme's challenge, the body unread); a body over the smallest limit of the parts (or the server's) is 413 before
/// it is buffered, and a chunked one is cut there by Kestrel. The buffer then grows with what actually arrived, and a
/// slow body is bounded by Kestrel's MinRequestBodyDataRate like any other request.
/// </summary>
internal static class AggregateAdmission
{
    /// <summary>True when the aggregate may read its body and run; otherwise the answer has been written.</summary>
    public static async Task<bool> AdmitAsync(HttpContext context, AggregateModel aggregate)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", "A GET or HEAD aggregate takes no request body.");
            return false;
        }

        if (aggregate.Parts.All(p => p.Route.Auth?.IsAuthenticated == true))
        {
            var schemes = aggregate.Parts.SelectMany(p => p.Route.Auth!.Schemes).Distinct(StringComparer.Ordinal).ToArray();
            var signedIn = false;
            foreach (var scheme in schemes)
            {
                if ((await context.AuthenticateAsync(scheme)).Succeeded) { signedIn = true; break; }
            }
            if (!signedIn)
            {
                await context.ChallengeAsync(schemes[0]);
                return false;
            }
        }

        var server = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = aggregate.Parts.Select(p => p.Route.MaxRequestBodySize).Where(l => l is not null).Min() ?? server?.MaxRequestBodySize;
        if (limit is { } max && server is { IsReadOnly: false }) server.MaxRequestBodySize = max;
        if (request.ContentLength > (limit ?? long.MaxValue))
        {
            await GatewayForwarder.PayloadTooLarge(context);
            return false;
        }
        return true;
    }
}
