namespace Bff.Shared.Configuration;

/// <summary>Thrown at start-up when the route files are invalid; carries every error.</summary>
internal sealed class GatewayConfigurationException(IReadOnlyList<ConfigError> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"The gateway configuration has {errors.Count} error(s):{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
