using System.Diagnostics;

namespace Bff.Hosts.Tests.Common;

/// <summary>Runs a host's build output as a real process (for exit codes and console output).</summary>
internal static class HostProcess
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string host, params string[] args) =>
        RunAsync(host, null, args);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string host, string? input, string[] args, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(RepoPaths.HostDll(host));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
