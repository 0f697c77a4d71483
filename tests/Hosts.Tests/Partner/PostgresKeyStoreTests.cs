using Bff.Hosts.Tests.Common;

namespace Bff.Hosts.Tests.Partner;

/// <summary>Bff.Partner on a real PostgreSQL server: a key store it cannot open stops the command with a clear message.</summary>
internal sealed class PostgresKeyStoreTests
{
    [Test]
    public async Task WrongPassword_ExitOne_NamesTheServer_NoStackTraceNoSecret()
    {
        var server = await PostgresServer.SharedAsync();
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = "not-the-password-" + Guid.NewGuid().ToString("N") };
        Bff.Testing.TestRunLog.Secret(wrong.Password, "wrong PostgreSQL password");

        var (exit, output, error) = await HostProcess.RunAsync("Bff.Partner", "migrate", "--KeyStore:Provider=Postgres",
            $"--ConnectionStrings:KeyStore={wrong.ConnectionString}", $"--ApiKeys:Pepper={GatewayTestHost.TestPepper}");

        Assert.That(exit, Is.EqualTo(1), output + error);
        Assert.That(error, Does.Contain($"PostgreSQL 127.0.0.1:{server.Port}"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(output + error, Does.Not.Contain(wrong.Password));
    }
}
