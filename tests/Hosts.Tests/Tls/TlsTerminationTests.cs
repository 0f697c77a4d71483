using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Tls;

/// <summary>
/// #21: Bff.Mobile's real process terminating TLS with a throw-away certificate — from PEM files
/// (<c>Kestrel:Certificates:Default</c>) or a PFX (<c>Kestrel:Endpoints:Https:Certificate</c>) — with the
/// <c>Tls:Hsts</c> and <c>Tls:HttpsRedirect</c> switches.
/// </summary>
internal sealed class TlsTerminationTests
{
    private TempFolder _folder = null!;
    private X509Certificate2 _certificate = null!;

    [SetUp]
    public void CreateCertificate()
    {
        _folder = new TempFolder();
        _certificate = GatewayTestHost.SelfSignedCertificate();
    }

    [TearDown]
    public void Delete()
    {
        _certificate.Dispose();
        _folder.Dispose();
    }

    private string[] KeyStore => [$"--ConnectionStrings:KeyStore=Data Source={Path.Combine(_folder.Path, "keystore.db")}", $"--ApiKeys:Pepper={GatewayTestHost.TestPepper}"];

    /// <summary>A client that accepts exactly the test's certificate and records the one it was served.</summary>
    private HttpClient Client(List<string> served) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                served.Add(certificate?.GetCertHashString(HashAlgorithmName.SHA256) ?? "");
                return certificate?.GetCertHashString(HashAlgorithmName.SHA256) == _certificate.GetCertHashString(HashAlgorithmName.SHA256);
            },
        },
    });

    private static HttpRequestMessage Get(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = "bffs.example"; // HSTS is never sent to localhost names (ASP.NET Core's default exclusions)
        return request;
    }

    [Test]
    public async Task PemCertificate_HstsOnHttps_PlainHttpRedirected_ExceptHealth()
    {
        var cert = Path.Combine(_folder.Path, "cert.pem");
        var key = Path.Combine(_folder.Path, "key.pem");
        await File.WriteAllTextAsync(cert, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(key, _certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var (https, http) = (FreePort.Dead(), FreePort.Dead());
        await using var host = await RunningHost.StartAsync("Bff.Mobile", https, [.. KeyStore,
            $"--Urls=https://127.0.0.1:{https};http://127.0.0.1:{http}",
            $"--Kestrel:Certificates:Default:Path={cert}", $"--Kestrel:Certificates:Default:KeyPath={key}",
            "--Tls:Hsts=true", "--Tls:HttpsRedirect=true", $"--Tls:HttpsPort={https}"]);
        var served = new List<string>();
        using var client = Client(served);

        using var secure = await client.SendAsync(Get($"https://127.0.0.1:{https}/health/live"));
        Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK), host.Output);
        Assert.That(served, Is.EqualTo(new[] { _certificate.GetCertHashString(HashAlgorithmName.SHA256) }), "the PEM certificate is served");
        Assert.That(secure.Headers.GetValues("Strict-Transport-Security").Single(), Is.EqualTo("max-age=31536000"));

        using var plain = await client.SendAsync(Get($"http://127.0.0.1:{http}/api/orders?page=2"));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(plain.Headers.Location, Is.EqualTo(new Uri($"https://bffs.example:{https}/api/orders?page=2")));
        Assert.That(plain.Headers.Contains("Strict-Transport-Security"), Is.False, "never over plain HTTP");

        using var probe = await client.SendAsync(Get($"http://127.0.0.1:{http}/health/live"));
        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK), "health checks over plain HTTP are not redirected");
    }

    [Test]
    public async Task PfxCertificate_OnAnEndpoint_SwitchesOffByDefault()
    {
        var pfx = Path.Combine(_folder.Path, "bffs.pfx");
        await File.WriteAllBytesAsync(pfx, _certificate.Export(X509ContentType.Pfx, "pfx-password-1"));
        var (https, http) = (FreePort.Dead(), FreePort.Dead());
        await using var host = await RunningHost.StartAsync("Bff.Mobile", https, [.. KeyStore,
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{https}", $"--Kestrel:Endpoints:Https:Certificate:Path={pfx}",
            "--Kestrel:Endpoints:Https:Certificate:Password=pfx-password-1", $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}"]);
        var served = new List<string>();
        using var client = Client(served);

        using var secure = await client.SendAsync(Get($"https://127.0.0.1:{https}/health/live"));
        Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK), host.Output);
        Assert.That(served, Is.EqualTo(new[] { _certificate.GetCertHashString(HashAlgorithmName.SHA256) }), "the PFX certificate is served");
        Assert.That(secure.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS is off unless Tls:Hsts");
        using var plain = await client.SendAsync(Get($"http://127.0.0.1:{http}/health/live"));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no redirect unless Tls:HttpsRedirect");
        using var route = await client.SendAsync(Get($"http://127.0.0.1:{http}/api/orders"));
        Assert.That(route.StatusCode, Is.Not.EqualTo(HttpStatusCode.PermanentRedirect));
    }

    [Test]
    public async Task MissingCertificateFile_ExitOne_NoStackTrace()
    {
        var https = FreePort.Dead();
        var (exit, output, error) = await HostProcess.RunAsync("Bff.Mobile", [.. KeyStore, $"--Urls=https://127.0.0.1:{https}",
            $"--Kestrel:Certificates:Default:Path={Path.Combine(_folder.Path, "missing.pem")}", $"--Kestrel:Certificates:Default:KeyPath={Path.Combine(_folder.Path, "missing.key")}"]);

        Assert.That(exit, Is.EqualTo(1), output + error);
        Assert.That(error, Does.Contain("missing.pem"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }
}
