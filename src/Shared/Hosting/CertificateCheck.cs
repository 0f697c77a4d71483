using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Bff.Shared.Hosting;

/// <summary>
/// Before Kestrel starts: every certificate file named in <c>Kestrel:Certificates:*</c> and
/// <c>Kestrel:Endpoints:*:Certificate</c> can be read, else a start-up failure that names the file and the setting
/// (Kestrel itself would only say "ASN1 corrupted data"). Kestrel still loads the certificates itself.
/// </summary>
internal static class CertificateCheck
{
    public static void Run(IConfiguration configuration, string contentRoot)
    {
        var kestrel = configuration.GetSection("Kestrel");
        var sections = kestrel.GetSection("Certificates").GetChildren()
            .Concat(kestrel.GetSection("Endpoints").GetChildren().Select(e => e.GetSection("Certificate")));
        foreach (var section in sections)
        {
            if (section["Path"] is not { Length: > 0 } path) continue;
            var full = Path.GetFullPath(path, contentRoot);
            var keyPath = section["KeyPath"] is { Length: > 0 } key ? Path.GetFullPath(key, contentRoot) : null;
            try
            {
                using var certificate = Load(full, keyPath, section["Password"]);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new BffStartupException(
                    $"the certificate {full} cannot be read ({section.Path}): {e.Message.TrimEnd('.')}. " +
                    "Check the file, its Password, and its format (PFX, or PEM with KeyPath).", e);
            }
        }
    }

    private static X509Certificate2 Load(string path, string? keyPath, string? password)
    {
        if (keyPath is not null)
            return password is null ? X509Certificate2.CreateFromPemFile(path, keyPath) : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException)
        {
            return X509CertificateLoader.LoadCertificateFromFile(path); // DER or PEM, as Kestrel also accepts
        }
    }
}
