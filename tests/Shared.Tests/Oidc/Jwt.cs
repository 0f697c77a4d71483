using System.Text;
using System.Text.Json.Nodes;

namespace Bff.Shared.Tests.Oidc;

/// <summary>Reads a JWT's payload (no validation: the tests look at what a backend was given).</summary>
internal static class Jwt
{
    public static JsonNode Payload(string token) => Part(token, 1);

    public static JsonNode Header(string token) => Part(token, 0);

    private static JsonNode Part(string token, int index)
    {
        var part = token.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)))!;
    }

    /// <summary>The bearer token an echo backend received, from its JSON answer.</summary>
    public static string? Bearer(string echoBody)
    {
        var headers = JsonNode.Parse(echoBody)?["headers"]?.AsObject();
        var value = headers?.FirstOrDefault(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
        return value is not null && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;
    }
}
