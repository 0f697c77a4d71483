using System.Diagnostics;
using System.Text;

namespace Bff.Hosts.Tests.Common;

/// <summary>A host's build output running as a real process (Production environment) until disposed.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningHost(Process process) => _process = process;

    /// <summary>What the process wrote so far (standard output and error).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts <paramref name="host"/> with <paramref name="args"/> and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<RunningHost> StartAsync(string host, int port, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(RepoPaths.HostDll(host));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var running = new RunningHost(Process.Start(start)!);
        running._process.OutputDataReceived += (_, e) => running.Append(e.Data);
        running._process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        running._process.BeginOutputReadLine();
        running._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (running._process.HasExited) throw new InvalidOperationException($"{host} exited ({running._process.ExitCode}): {running.Output}");
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return running;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
