using Bff.Shared.Configuration;
using Bff.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class BffApplicationExtensions
{
    /// <summary>
    /// Runs the verb given on the command line, or the server. Whatever stops the server from starting (an invalid
    /// route configuration, a missing pepper, a key store that cannot be opened or decrypted, a port in use, an
    /// unreadable certificate) is printed as one message — the host's last console line — and the host exits with
    /// code 1, without a stack trace.
    /// </summary>
    public static async Task<int> RunBffAsync(this WebApplication app, BffCommandLine commandLine)
    {
        // Read before running: a host that fails to start disposes its services, app.Environment with them.
        var name = app.Environment.ApplicationName;
        try
        {
            if (commandLine.CommandArgs is not null) return await commandLine.InvokeAsync(app);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"{name}: {string.Join("; ", e.Failures)}");
            return 1;
        }

        string reason;
        try
        {
            app.Services.GetRequiredService<GatewayConfigProvider>().Initialize();
            CertificateCheck.Run(app.Configuration, app.Environment.ContentRootPath);
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            await app.DisposeAsync();
            return 0;
        }
        catch (GatewayConfigurationException e)
        {
            reason = e.Message;
        }
        catch (Exception e)
        {
            reason = StartupFailures.Describe(e);
            app.Services.GetService<ILoggerFactory>()?.CreateLogger("Bff.Startup").LogDebug(e, "The host failed to start");
        }
        // Disposing flushes the console logger first, so the reason is the last line the operator sees.
        await app.DisposeAsync();
        await Console.Error.WriteLineAsync($"{name} cannot start: {reason}");
        return 1;
    }
}
