namespace Bff.Shared.Configuration;

/// <summary>One problem in the route files: which file, where in it (a JSON path such as
/// <c>Routes[3].UpstreamPathTemplate</c>) and what is wrong.</summary>
public sealed record ConfigError(string File, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{File}: {Message}" : $"{File}: {Path}: {Message}";
}

/// <summary>Thrown at start-up when the route files are invalid; carries every error.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<ConfigError> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"The gateway configuration has {errors.Count} error(s):{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
