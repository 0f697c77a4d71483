namespace Bff.Shared.Configuration;

/// <summary>One problem in the route files: which file, where in it (a JSON path such as
/// <c>Routes[3].UpstreamPathTemplate</c>) and what is wrong.</summary>
internal sealed record ConfigError(string File, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{File}: {Message}" : $"{File}: {Path}: {Message}";
}
