using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Bff.Testing;

/// <summary>
/// A private PostgreSQL server (Debian's <c>postgresql</c> binaries) on 127.0.0.1 and a free port, one per test run:
/// a fresh cluster in a temp folder (initdb, password authentication), every test in its own database. PostgreSQL refuses
/// to run as root, so under root the server runs as the <c>postgres</c> user (made by the Debian package).
/// </summary>
public sealed class PostgresServer
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static PostgresServer? s_shared;
    private readonly Process _process;

    private PostgresServer(Process process, string folder, int port, string password)
    {
        _process = process;
        Folder = folder;
        Port = port;
        _password = password;
    }

    private readonly string _password;
    public int Port { get; }

    /// <summary>The cluster's folder (its data directory is <c>data</c> inside).</summary>
    public string Folder { get; }

    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>The run's server, started on first use and stopped when the test process exits.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (s_shared is { _process.HasExited: false }) return s_shared;
            s_shared = await StartAsync();
            var started = s_shared;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Stop();
            return s_shared;
        }
        finally
        {
            s_gate.Release();
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory;
        if (bin is null) NUnit.Framework.Assert.Fail("PostgreSQL is not installed (apt-get install postgresql; .ci/run installs it)");
        var folder = Path.Combine(Path.GetTempPath(), "bffs-tests", "postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        TestRunLog.Secret(password, "PostgreSQL password");
        await File.WriteAllTextAsync(Path.Combine(folder, "pw"), password);
        var asUser = Environment.UserName == "root" ? "postgres" : null;
        if (asUser is not null) await RunAsync("chown", ["-R", asUser, folder]);
        await RunAsync(Path.Combine(bin!, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", "bffs", "--auth=scram-sha-256",
            "--pwfile", Path.Combine(folder, "pw"), "-E", "UTF8", "--no-sync", "--locale=C"], asUser);
        var port = FreePort.Dead();
        var start = Command(Path.Combine(bin!, "postgres"), ["-D", Path.Combine(folder, "data"), "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={folder}", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"], asUser);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new PostgresServer(process, folder, port, password);
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>A connection string to <paramref name="database"/> (the server's <c>postgres</c> database by default).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = "bffs", Password = _password, Database = database,
            // Each test has its own database: idle connections to it must not outlive the test for long.
            ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "bffs_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name}");
        return name;
    }

    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    /// <summary>Writes every dirty page to the data files (to inspect what is stored on disk).</summary>
    public Task CheckpointAsync() => ExecuteAsync("CHECKPOINT");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await ExecuteAsync("SELECT 1");
                return;
            }
            catch (Exception e) when ((e is NpgsqlException or System.Net.Sockets.SocketException) && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Stop()
    {
        try
        {
            // Under root _process is runuser, which does not pass a kill on: stop the postmaster itself (its backends follow).
            var pidFile = Path.Combine(Folder, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill();
                postmaster.WaitForExit(5000);
            }
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
            or System.ComponentModel.Win32Exception) { }
    }

    private static ProcessStartInfo Command(string file, IEnumerable<string> args, string? asUser)
    {
        var start = new ProcessStartInfo(asUser is null ? file : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asUser is not null) foreach (var a in new[] { "-u", asUser, "--", file }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static async Task RunAsync(string file, IEnumerable<string> args, string? asUser = null)
    {
        using var process = Process.Start(Command(file, args, asUser))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await output}{await error}");
    }
}
