namespace Bff.Shared.Configuration;

/// <summary>
/// Where a feature reports its configuration errors: one item of one file (<c>Routes[3]</c>,
/// <c>GlobalConfiguration</c> …). Properties are given relative to it; every error lands in the build's one list,
/// so a start reports all of them.
/// </summary>
internal sealed class ConfigErrorScope(List<ConfigError> errors, string file, string at)
{
    /// <summary>The item's own path, e.g. <c>Routes[3]</c>.</summary>
    public string At => at;

    /// <summary>How many errors the whole build has so far (to tell whether an item added any).</summary>
    public int Count => errors.Count;

    /// <summary>Reports <paramref name="message"/> for <paramref name="property"/> (empty: the item itself).</summary>
    public void Add(string property, string message) =>
        errors.Add(new ConfigError(file, property.Length == 0 ? at : $"{at}.{property}", message));

    /// <summary>A scope for a nested section, e.g. <c>Under("RateLimitOptions")</c>.</summary>
    public ConfigErrorScope Under(string property) => new(errors, file, $"{at}.{property}");
}
