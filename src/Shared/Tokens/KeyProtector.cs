using System.Security.Cryptography;
using System.Text;
using Bff.Shared.ApiKeys;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Tokens;

/// <summary>
/// AES-256-GCM for the few secrets the key store must read back (signing keys, a refresh token's successor during
/// its grace), under a key derived (HKDF-SHA-256) from <c>ApiKeys:Pepper</c>, so every replica can read them and a
/// copy of the database alone cannot.
/// </summary>
internal sealed class KeyProtector(IOptions<ApiKeyOptions> options)
{
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, options.Value.PepperBytes, 32, info: Encoding.UTF8.GetBytes("bffs-key-protector-v1"));

    public byte[] Protect(byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var output = new byte[12 + 16 + plaintext.Length];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plaintext, output.AsSpan(28), output.AsSpan(12, 16));
        nonce.CopyTo(output, 0);
        return output;
    }

    public byte[] Unprotect(byte[] protectedData)
    {
        var plaintext = new byte[protectedData.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(protectedData.AsSpan(0, 12), protectedData.AsSpan(28), protectedData.AsSpan(12, 16), plaintext);
        return plaintext;
    }
}
