namespace Bff.Shared.Configuration.File;

internal sealed class FileGlobalRateLimitByHeaderRule : FileRateLimitByHeaderRule
{
    public List<string>? RouteKeys { get; set; }
}
