using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Bff.Testing;

/// <summary>
/// What a browser does in the authorization code flow, with HttpClient: redirects followed by hand and one cookie jar
/// per origin (the gateway's cookies are Secure, which HttpClient would not send over the tests' plain-HTTP loopback;
/// a browser treats loopback as secure). Records every answer body the "page" saw.
/// </summary>
public sealed partial class OidcBrowser : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly Dictionary<string, Dictionary<string, string>> _jars = [];

    public List<string> Bodies { get; } = [];

    /// <summary>The cookies this browser holds for an origin.</summary>
    public IReadOnlyDictionary<string, string> Cookies(Uri origin) => Jar(origin);

    public void SetCookie(Uri origin, string name, string value) => Jar(origin)[name] = value;

    public string? SessionCookie(Uri gateway) => Jar(gateway).GetValueOrDefault("__Host-bffs-session");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null, bool csrf = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        var jar = Jar(url);
        if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        if (csrf) request.Headers.Add("X-CSRF", "1");
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) jar.Remove(name);
                else jar[name] = value;
            }
        Bodies.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>Signs in from the gateway's <c>/bff/login</c> through the provider's page back to the gateway; returns
    /// the last answer (the gateway's redirect to its landing page).</summary>
    public async Task<HttpResponseMessage> SignInAsync(Uri gateway, string username, string password, string returnUrl = "/dashboard")
    {
        var start = await SendAsync(HttpMethod.Get, new Uri(gateway, "/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the gateway sends the browser to the provider");
        var authorize = start.Headers.Location!;
        var toLogin = await SendAsync(HttpMethod.Get, authorize);
        Assert.That(toLogin.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the provider asks for a sign-in");
        var loginPage = new Uri(authorize, toLogin.Headers.Location!);
        var back = System.Web.HttpUtility.ParseQueryString(loginPage.Query)["ReturnUrl"]!;
        var signedIn = await SendAsync(HttpMethod.Post, new Uri(authorize, "/account/login"), new FormUrlEncodedContent(
            [new("username", username), new("password", password), new("returnUrl", back)]));
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the provider accepted the password");
        var post = await SendAsync(HttpMethod.Get, new Uri(authorize, signedIn.Headers.Location!));
        // response_mode=form_post: a page whose form posts the code to the gateway's callback.
        var html = Bodies[^1];
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        return await SendAsync(HttpMethod.Post, new Uri(action), new FormUrlEncodedContent(fields));
    }

    private Dictionary<string, string> Jar(Uri url)
    {
        var origin = url.GetLeftPart(UriPartial.Authority);
        if (!_jars.TryGetValue(origin, out var jar)) _jars[origin] = jar = new(StringComparer.Ordinal);
        return jar;
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    public void Dispose() => _http.Dispose();
}
