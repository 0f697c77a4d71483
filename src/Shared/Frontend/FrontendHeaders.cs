using Microsoft.AspNetCore.Http;

namespace Bff.Shared.Frontend;

/// <summary>The headers every frontend file is sent with.</summary>
internal static class FrontendHeaders
{
    public static void Apply(HttpResponse response, string contentSecurityPolicy)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        // Revalidate every time (ETag / Last-Modified): the files are not fingerprinted.
        headers.CacheControl = "no-cache";
    }
}
