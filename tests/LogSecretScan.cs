using Bff.Testing;
using NUnit.Framework;

/// <summary>Outside every namespace, so it wraps the whole assembly: the log secret scan runs after the last test.
/// Compiled into each test project (see their .csproj).</summary>
[SetUpFixture]
#pragma warning disable CA1050 // NUnit needs the global namespace for an assembly-wide set-up fixture
internal sealed class LogSecretScan : LogSecretScanFixture;
#pragma warning restore CA1050
