using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Bff.Hosts.Tests.Common;

/// <summary>
/// The real host processes in Production: whatever stops a start is one sentence, the last line on standard error,
/// exit code 1 within 30 s, and no line of a stack trace. Redis being down is not a reason to stop.
/// </summary>
internal sealed partial class StartupFailureTests
{
    private static readonly string[] Hosts = ["Bff.Web", "Bff.Mobile", "Bff.Partner"];
    private static readonly string[] TokenHosts = ["Bff.Web", "Bff.Mobile"];
    private const string OtherPepper = "another-pepper-for-tests-0123456789abcdef";
    private TempFolder _data = null!;

    [SetUp]
    public void CreateFolder() => _data = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _data.Dispose();

    private string KeyStore(string file = "keystore.db") => $"--ConnectionStrings:KeyStore=Data Source={Path.Combine(_data.Path, file)};Pooling=False";

    private static string Pepper(string pepper = GatewayTestHost.TestPepper) => $"--ApiKeys:Pepper={pepper}";

    private static async Task AssertCannotStartAsync(string host, string sentence, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (exit, output, error) = await HostProcess.RunAsync(host, null, args, TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1), output + error);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            Assert.That(output + error, Does.Not.Contain("   at "), "no stack trace");
            var last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            Assert.That(last, Does.StartWith($"{host} cannot start: ").And.Contain(sentence), "the reason is the last console line");
        }
    }

    [TestCaseSource(nameof(Hosts))]
    public Task WithoutPepper(string host) =>
        AssertCannotStartAsync(host, "ApiKeys:Pepper is required outside Development", KeyStore(), "--urls=http://127.0.0.1:0");

    [TestCaseSource(nameof(Hosts))]
    public Task ShortPepper(string host) =>
        AssertCannotStartAsync(host, "ApiKeys:Pepper must be at least 32 characters", KeyStore(), Pepper("too-short"), "--urls=http://127.0.0.1:0");

    [TestCaseSource(nameof(Hosts))]
    public Task KeyStoreThatCannotBeOpened(string host) =>
        AssertCannotStartAsync(host, $"the key store (SQLite file {Path.Combine(_data.Path, "no-such-folder", "k.db")}) cannot be opened or migrated",
            KeyStore(Path.Combine("no-such-folder", "k.db")), Pepper(), "--urls=http://127.0.0.1:0");

    [TestCaseSource(nameof(Hosts))]
    public Task KeyStoreThatIsNotADatabase(string host)
    {
        _data.Write("garbage.db", new string('x', 4096));
        return AssertCannotStartAsync(host, "cannot be opened or migrated: SQLite Error 26: 'file is not a database'",
            KeyStore("garbage.db"), Pepper(), "--urls=http://127.0.0.1:0");
    }

    [TestCaseSource(nameof(TokenHosts))]
    public async Task KeyMaterialMadeWithAnotherPepper(string host)
    {
        // The key store's signing key is made under one pepper (the signing-keys command) ...
        var (exit, output, error) = await HostProcess.RunAsync(host, null, ["signing-keys", "rotate", KeyStore(), Pepper(OtherPepper)]);
        Assert.That(exit, Is.Zero, output + error);
        // ... and the host starts with another.
        await AssertCannotStartAsync(host, $"cannot be decrypted with the configured ApiKeys:Pepper: the pepper differs from the one",
            KeyStore(), Pepper(), "--urls=http://127.0.0.1:0");
    }

    [TestCaseSource(nameof(Hosts))]
    public async Task PortAlreadyInUse(string host)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await AssertCannotStartAsync(host, $"Failed to bind to address http://127.0.0.1:{port}: address already in use",
            KeyStore(), Pepper(), $"--urls=http://127.0.0.1:{port}");
    }

    [TestCaseSource(nameof(Hosts))]
    public Task UnreadableCertificate(string host)
    {
        var certificate = _data.Write("gateway.pfx", "this is not a certificate");
        return AssertCannotStartAsync(host, $"the certificate {certificate} cannot be read",
            KeyStore(), Pepper(), "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0", $"--Kestrel:Endpoints:Https:Certificate:Path={certificate}");
    }

    [Test]
    public async Task DefaultKeyStore_IsOneFilePerEnvironment()
    {
        // The default SQLite file lives under the user's data folder (XDG_DATA_HOME here: never the real one).
        var data = new Dictionary<string, string> { ["XDG_DATA_HOME"] = _data.Path };
        foreach (var (environment, file) in new[] { ("Production", "keystore.db"), ("Development", "keystore.development.db"), ("Staging", "keystore.staging.db") })
        {
            var env = new Dictionary<string, string>(data) { ["ASPNETCORE_ENVIRONMENT"] = environment };
            var (exit, output, error) = await HostProcess.RunAsync("Bff.Partner", null, ["migrate", Pepper()], environment: env);
            Assert.That(exit, Is.Zero, output + error);
            Assert.That(File.Exists(Path.Combine(_data.Path, "bffs", file)), Is.True, $"{environment}: {file}");
        }
        Assert.That(Directory.GetFiles(Path.Combine(_data.Path, "bffs"), "*.db").Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "keystore.db", "keystore.development.db", "keystore.staging.db" }));
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    [TestCaseSource(nameof(Hosts)), CancelAfter(60_000)]
    public async Task RedisDownAtStart_StartsDegraded(string host)
    {
        using var dead = new TcpListener(IPAddress.Loopback, 0);
        dead.Start();
        var redisPort = ((IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop(); // nothing listens there now

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { RepoPaths.HostDll(host), "--urls=http://127.0.0.1:0", KeyStore(), Pepper(), $"--ConnectionStrings:Redis=127.0.0.1:{redisPort},connectTimeout=500" })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var port = 0;
            while (port == 0)
            {
                var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("exited: " + await error);
                if (Listening().Match(line) is { Success: true } m) port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
