using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Shared.Oidc;

/// <summary>
/// The BFF's back-channel calls to the provider, with the OpenIdConnect handler's own metadata and HTTP client:
/// refresh, client credentials and revocation, the client authenticated with HTTP Basic (<c>client_secret_basic</c>).
/// </summary>
internal sealed class OidcProviderClient(IOptionsMonitor<OpenIdConnectOptions> handlerOptions, IOptions<OidcOptions> options, TimeProvider time)
{
    private OpenIdConnectOptions Handler => handlerOptions.Get(OidcDefaults.Scheme);

    public Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken cancellationToken) =>
        Handler.ConfigurationManager!.GetConfigurationAsync(cancellationToken);

    /// <summary>A refresh; null when the provider refuses it (the refresh token is no longer good).</summary>
    public async Task<UserTokens?> RefreshAsync(UserTokens current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null) return null;
        var answer = await TokenRequestAsync([new("grant_type", "refresh_token"), new("refresh_token", current.RefreshToken)], cancellationToken);
        if (answer is null) return null;
        return new UserTokens(answer.Value.AccessToken, answer.Value.RefreshToken ?? current.RefreshToken, answer.Value.IdToken ?? current.IdToken, answer.Value.ExpiresAt);
    }

    /// <summary>A client-credentials token of the BFF itself; null when refused.</summary>
    public async Task<(string AccessToken, DateTimeOffset ExpiresAt)?> ClientCredentialsAsync(CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form = [new("grant_type", "client_credentials")];
        if (options.Value.ClientScopes.Count > 0) form.Add(new("scope", string.Join(' ', options.Value.ClientScopes)));
        var answer = await TokenRequestAsync(form, cancellationToken);
        return answer is null ? null : (answer.Value.AccessToken, answer.Value.ExpiresAt);
    }

    /// <summary>Revokes a refresh token (RFC 7009) when the provider has a revocation endpoint; false if it failed.</summary>
    public async Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        if (configuration.RevocationEndpoint is not { Length: > 0 } url) return false;
        using var request = Request(url, [new("token", refreshToken), new("token_type_hint", "refresh_token")]);
        using var response = await Handler.Backchannel.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private async Task<(string AccessToken, string? RefreshToken, string? IdToken, DateTimeOffset ExpiresAt)?> TokenRequestAsync(
        List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        using var request = Request(configuration.TokenEndpoint, form);
        using var response = await Handler.Backchannel.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500) return null; // invalid_grant, invalid_client …: refused
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
        return (root.GetProperty("access_token").GetString()!, Text(root, "refresh_token"), Text(root, "id_token"), time.GetUtcNow().AddSeconds(expiresIn));
    }

    private static string? Text(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;

    private HttpRequestMessage Request(string url, List<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        var o = options.Value;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(o.ClientId!)}:{Uri.EscapeDataString(o.ClientSecret ?? "")}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return request;
    }
}
