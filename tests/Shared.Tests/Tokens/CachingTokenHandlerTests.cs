using System.Security.Claims;
using System.Security.Cryptography;
using Bff.Shared.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Shared.Tests.Tokens;

/// <summary>The bearer scheme remembers validated tokens: never past their lifetime, never after their key is
/// distrusted, and never sharing one identity object between requests.</summary>
internal sealed class CachingTokenHandlerTests
{
    private FakeTimeProvider _time = null!;
    private ECDsa _ecdsa = null!;
    private ECDsaSecurityKey _key = null!;
    private List<SecurityKey> _trusted = null!;
    private int _fullValidations;

    [SetUp]
    public void Start()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _key = new ECDsaSecurityKey(_ecdsa) { KeyId = "k1" };
        _trusted = [_key];
        _fullValidations = 0;
    }

    [TearDown]
    public void Stop() => _ecdsa.Dispose();

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "bffs",
        ValidAudience = "bffs-mobile",
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        IssuerSigningKeyResolver = (_, _, _, _) => _trusted,
        // Runs only when a token is validated in full, so it counts the validations the cache did not answer.
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            Interlocked.Increment(ref _fullValidations);
            return expires is { } exp && _time.GetUtcNow().UtcDateTime < exp + parameters.ClockSkew;
        },
    };

    private string Token(TimeSpan lifetime, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "bffs",
        Audience = "bffs-mobile",
        Subject = new ClaimsIdentity([new Claim("sub", "usr_1"), new Claim("role", "reader")]),
        IssuedAt = _time.GetUtcNow().UtcDateTime,
        NotBefore = _time.GetUtcNow().UtcDateTime,
        Expires = _time.GetUtcNow().UtcDateTime + lifetime,
        SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.EcdsaSha256),
    });

    [Test]
    public async Task SecondValidation_IsAnsweredFromMemory_WithItsOwnCopyOfTheIdentity()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        var token = Token(TimeSpan.FromMinutes(15));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.That(first.IsValid && second.IsValid, Is.True);
        Assert.That(_fullValidations, Is.EqualTo(1), "the signature was verified once");
        Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity));
        Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("usr_1"));
        // The same kind of identity as a full validation gives: claim types are matched case-sensitively, so a route
        // rule on "Role" behaves the same on the first request and on every later one.
        Assert.That(second.ClaimsIdentity.GetType(), Is.EqualTo(first.ClaimsIdentity.GetType()));
        Assert.That(first.ClaimsIdentity, Is.TypeOf<CaseSensitiveClaimsIdentity>(), "what the token library makes");
        Assert.That(first.ClaimsIdentity.FindFirst("SUB"), Is.Null);
        Assert.That(second.ClaimsIdentity.FindFirst("SUB"), Is.Null);
        Assert.That(((JsonWebToken)second.SecurityToken).Subject, Is.EqualTo("usr_1"));

        // One request adding a claim (claims transforms do) must not show up in the next request's identity.
        second.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var third = await handler.ValidateTokenAsync(token, Parameters());
        Assert.That(third.ClaimsIdentity.FindAll("role").Select(c => c.Value), Is.EqualTo(new[] { "reader" }));
    }

    [Test]
    public async Task RememberedToken_IsRefusedOnceItsLifetimeAndSkewHavePassed()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        var token = Token(TimeSpan.FromMinutes(2));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);

        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(20));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True, "within the 30 s skew");
        Assert.That(_fullValidations, Is.EqualTo(1), "still remembered");

        _time.Advance(TimeSpan.FromSeconds(11));
        var late = await handler.ValidateTokenAsync(token, Parameters());
        Assert.That(late.IsValid, Is.False);
        Assert.That(late.Exception, Is.Not.Null);
    }

    [Test]
    public async Task RememberedToken_IsValidatedInFullAgain_AfterFiveMinutes()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        var token = Token(TimeSpan.FromMinutes(15));
        await handler.ValidateTokenAsync(token, Parameters());
        _time.Advance(CachingTokenHandler.MaxAge - TimeSpan.FromSeconds(1));
        await handler.ValidateTokenAsync(token, Parameters());
        Assert.That(_fullValidations, Is.EqualTo(1));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);
        Assert.That(_fullValidations, Is.EqualTo(2));
    }

    [Test]
    public async Task RememberedToken_IsRefused_AsSoonAsItsKeyIsNoLongerTrusted()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        var token = Token(TimeSpan.FromMinutes(15));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _trusted = [new ECDsaSecurityKey(other) { KeyId = "k2" }]; // k1 retired
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.False);

        // The same key id served as a new object (a reloaded key set) is still the same key.
        _trusted = [new ECDsaSecurityKey(_ecdsa) { KeyId = "k1" }];
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);
    }

    [Test]
    public async Task TheCacheIsBounded_ExpiredEntriesGoFirst_ThenEverything()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        var parameters = Parameters();
        // Half of the capacity in short-lived tokens that expire, then live ones up to the limit (every token differs:
        // ES256 signatures are randomised).
        for (var i = 0; i < CachingTokenHandler.Capacity / 2; i++) await handler.ValidateTokenAsync(Token(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(i)), parameters);
        _time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < CachingTokenHandler.Capacity / 2 + 10; i++) await handler.ValidateTokenAsync(Token(TimeSpan.FromMinutes(15) + TimeSpan.FromMilliseconds(i)), parameters);
        Assert.That(handler.Remembered, Is.EqualTo(CachingTokenHandler.Capacity / 2 + 10), "the expired half was dropped when the limit was reached");

        for (var i = 0; i < CachingTokenHandler.Capacity / 2; i++) await handler.ValidateTokenAsync(Token(TimeSpan.FromMinutes(14) + TimeSpan.FromMilliseconds(i)), parameters);
        Assert.That(handler.Remembered, Is.LessThan(CachingTokenHandler.Capacity), "all live and full: started over");
    }

    [Test]
    public async Task InvalidTokens_AreNeverRemembered()
    {
        var handler = new CachingTokenHandler(_time) { MapInboundClaims = false };
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Token(TimeSpan.FromMinutes(15), new ECDsaSecurityKey(stranger) { KeyId = "k1" });

        Assert.That((await handler.ValidateTokenAsync(forged, Parameters())).IsValid, Is.False);
        Assert.That((await handler.ValidateTokenAsync(forged, Parameters())).IsValid, Is.False, "a refusal is not cached as anything else");
    }
}
