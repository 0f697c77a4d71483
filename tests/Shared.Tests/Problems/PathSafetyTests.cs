using Bff.Shared.Security;
using Bff.Shared.Problems;

namespace Bff.Shared.Tests.Problems;

internal sealed class PathSafetyTests
{
    [TestCase("42", false)]
    [TestCase("a/b/c", false)]
    [TestCase("report.v1.json", false)]
    [TestCase("100%", false)]
    [TestCase("a%20b", false)]
    [TestCase("..", true)]
    [TestCase("../admin", true)]
    [TestCase("a/../b", true)]
    [TestCase("..;/admin", true)]
    [TestCase("a\\b", true)]
    [TestCase("a%2Fb", true)]
    [TestCase("a%2fb", true)]
    [TestCase("a%5Cb", true)]
    [TestCase("%2e%2e", true)]
    [TestCase("%252e%252e", true)]
    [TestCase("..%2Fadmin", true)]
    [TestCase("%25252e%25252e%25252f", true)]
    public void IsUnsafe_Value(string value, bool expected) =>
        Assert.That(PathSafety.IsUnsafe(value), Is.EqualTo(expected));

    [TestCase("/api/users/1", false)]
    [TestCase("/api/v1.0/x", false)]
    [TestCase("/api/../x", true)]
    [TestCase("/api/%2e%2e/x", true)]
    [TestCase("/api/%252e%252e/x", true)]
    [TestCase("/api/..%2fx", true)]
    [TestCase("/api/..;/x", true)]
    [TestCase("/api/a%2Fb", false)]
    public void IsUnsafeRawPath(string path, bool expected) =>
        Assert.That(PathSafety.IsUnsafeRawPath(path), Is.EqualTo(expected));
}
