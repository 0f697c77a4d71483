using System.Diagnostics;
using System.Net.Sockets;

namespace Bff.Testing;

/// <summary>A private redis-server on 127.0.0.1 and a free port, no persistence, stopped on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process _process;
    private readonly TempFolder _folder;

    private RedisServer(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static bool IsInstalled => File.Exists("/usr/bin/redis-server") || File.Exists("/usr/local/bin/redis-server");

    public static async Task<RedisServer> StartAsync()
    {
        if (!IsInstalled) NUnit.Framework.Assert.Fail("redis-server is not installed (apt-get install redis-server; .ci/run installs it)");
        var folder = new TempFolder();
        var port = FreePort.Dead();
        var process = Launch(port, folder);
        await WaitForPortAsync(port, process);
        return new RedisServer(process, folder, port);
    }

    private static Process Launch(int port, TempFolder folder)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder.Path })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        process.Kill();
        throw new TimeoutException("redis-server did not start");
    }

    /// <summary>Kills the server (a Redis outage).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts a new server on the same port (Redis is back, empty).</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process.Dispose();
        _process = Launch(Port, _folder);
        await WaitForPortAsync(Port, _process);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Dispose();
    }
}
