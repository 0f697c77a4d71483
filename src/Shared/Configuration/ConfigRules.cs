using System.Text.RegularExpressions;

namespace Bff.Shared.Configuration;

/// <summary>Small checks several features share.</summary>
internal static partial class ConfigRules
{
    /// <summary>An RFC 9110 token: what HTTP methods and header names are made of.</summary>
    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex TokenPattern();

    public static bool IsToken(string? text) => TokenPattern().IsMatch(text ?? "");

    /// <summary>Reports every name of <paramref name="headers"/> that is not a header name.</summary>
    public static void HeaderNames(Dictionary<string, string> headers, string property, ConfigErrorScope errors)
    {
        foreach (var name in headers.Keys)
            if (!IsToken(name)) errors.Add($"{property}.{name}", $"'{name}' is not a valid header name");
    }
}
