using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bff.Hosts.Tests.Common;

/// <summary>The real demo backends (samples/Backends, all three services in one process) on 127.0.0.1, port 0.</summary>
internal sealed partial class DemoBackends : IAsyncDisposable
{
    private readonly Process _process;

    private DemoBackends(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    public static async Task<DemoBackends> StartAsync()
    {
        var dll = RepoPaths.BackendsDll();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { dll, "--Service=all", "--urls=http://127.0.0.1:0" }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!cts.IsCancellationRequested)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("demo backends exited: " + await process.StandardError.ReadToEndAsync());
            var match = Listening().Match(line);
            if (!match.Success) continue;
            _ = process.StandardOutput.ReadToEndAsync(); // keep draining
            return new DemoBackends(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("demo backends did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
