using NUnit.Framework;

namespace Bff.Testing;

/// <summary>
/// Base of each test assembly's root set-up fixture: after the last test, the whole run's log output must not contain
/// any secret the run used.
/// </summary>
public abstract class LogSecretScanFixture
{
    [OneTimeTearDown]
    public void NoSecretReachedTheLogs()
    {
        var found = TestRunLog.Scan();
        TestContext.Progress.WriteLine($"Log secret scan: {TestRunLog.LineCount} log lines, {TestRunLog.SecretCount} secrets, {found.Count} found");
        Assert.That(found, Is.Empty, "secrets used by this test run appear in its log output");
    }
}
