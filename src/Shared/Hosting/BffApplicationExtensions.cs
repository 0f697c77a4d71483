using Bff.Shared.Configuration;
using Bff.Shared.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class BffApplicationExtensions
{
    /// <summary>
    /// Runs the verb given on the command line, or the server. An invalid route configuration makes the host exit
    /// with code 1 after printing every error (file, JSON path, message) — no stack trace.
    /// </summary>
    public static async Task<int> RunBffAsync(this WebApplication app, BffCommandLine commandLine)
    {
        try
        {
            if (commandLine.CommandArgs is not null) return await commandLine.InvokeAsync(app);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"{app.Environment.ApplicationName}: {string.Join("; ", e.Failures)}");
            return 1;
        }
        try
        {
            app.Services.GetRequiredService<GatewayConfigProvider>().Initialize();
        }
        catch (GatewayConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"{app.Environment.ApplicationName} cannot start. {e.Message}");
            return 1;
        }
        // Read before running: a host that fails to start disposes its services, app.Environment with them.
        var name = app.Environment.ApplicationName;
        try
        {
            await app.RunAsync();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"{name} cannot start: {string.Join("; ", e.Failures)}");
            return 1;
        }
        return 0;
    }
}
