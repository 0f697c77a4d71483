using Bff.Shared.ApiKeys;

namespace Bff.Shared.Tests.ApiKeys;

internal sealed class ApiKeyCodecTests
{
    [Test]
    public void Generate_HasTheDocumentedShape_AndParses()
    {
        var (key, id) = ApiKeyCodec.Generate("live");

        Assert.That(key, Does.Match("^bffk_live_[0-9A-Za-z]{50}$"));
        Assert.That(ApiKeyCodec.TryParse(key, out var environment, out var parsedId), Is.True);
        Assert.That((environment, parsedId), Is.EqualTo(("live", id)));
        Assert.That(key, Does.StartWith($"bffk_live_{id}"));
    }

    [Test]
    public void Generate_IsRandom()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyCodec.Generate("test").Key).ToList();
        Assert.That(keys, Is.Unique);
    }

    [Test]
    public void TryParse_RejectsEveryOneCharacterTypo()
    {
        var (key, _) = ApiKeyCodec.Generate("live");
        var typos = 0;
        for (var i = "bffk_live_".Length; i < key.Length; i++)
        {
            var replacement = key[i] == 'a' ? 'b' : 'a';
            var typo = key[..i] + replacement + key[(i + 1)..];
            if (!ApiKeyCodec.TryParse(typo, out _, out _)) typos++;
        }
        Assert.That(typos, Is.EqualTo(key.Length - "bffk_live_".Length), "the checksum catches every single-character change");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("bffk_live_short")]
    [TestCase("sk_live_0123456789012345678901234567890123456789012345")]
    [TestCase("bffk__01234567890123456789012345678901234567890123456789")]
    [TestCase("bffk_li-ve_01234567890123456789012345678901234567890123456789")]
    public void TryParse_RejectsMalformed(string? key) =>
        Assert.That(ApiKeyCodec.TryParse(key, out _, out _), Is.False);

    [Test]
    public void Hash_DependsOnThePepper()
    {
        var (key, _) = ApiKeyCodec.Generate("live");
        Assert.That(ApiKeyCodec.Hash(key, "pepper-one"u8.ToArray()), Is.Not.EqualTo(ApiKeyCodec.Hash(key, "pepper-two"u8.ToArray())));
        Assert.That(ApiKeyCodec.Hash(key, "pepper-one"u8.ToArray()), Has.Length.EqualTo(32));
    }
}
