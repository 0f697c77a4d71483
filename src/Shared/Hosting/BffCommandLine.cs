using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Hosting;

/// <summary>
/// Splits a host's arguments: a first argument that is a verb (<see cref="Commands.BffCommands"/>) runs that command; everything
/// else is ordinary ASP.NET Core configuration (<c>--Gateway:ConfigPath=/x/ocelot.json</c>, <c>--urls …</c>).
/// Configuration-style arguments (<c>--Section:Key=value</c>) also work after a verb.
/// </summary>
public sealed class BffCommandLine
{
    private BffCommandLine(string[] configurationArgs, string[]? commandArgs)
    {
        ConfigurationArgs = configurationArgs;
        CommandArgs = commandArgs;
    }

    /// <summary>Arguments for <c>WebApplication.CreateBuilder</c>.</summary>
    public string[] ConfigurationArgs { get; }

    /// <summary>
    /// Options for <c>WebApplication.CreateBuilder</c>: the configuration arguments, and a content root that holds the
    /// host's appsettings.json — the working directory when it has one (dotnet run, published folder), else the
    /// folder of the binaries (<c>dotnet src/Bff.Web/bin/Release/net10.0/Bff.Web.dll</c> from the repo root).
    /// </summary>
    public WebApplicationOptions Options => new()
    {
        Args = ConfigurationArgs,
        ContentRootPath = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory,
    };

    /// <summary>The verb and its arguments, or null to run the server.</summary>
    public string[]? CommandArgs { get; }

    public static BffCommandLine Parse(string[] args)
    {
        if (args.Length == 0 || !Commands.BffCommands.Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase)) return new(args, null);
        // Commands print results (and --json) on standard output: logs go to standard error, warnings and up only.
        string[] quiet = ["--Logging:Console:LogToStandardErrorThreshold=Trace", "--Logging:LogLevel:Default=Warning"];
        var configuration = quiet.Concat(args.Skip(1).Where(IsConfiguration)).ToArray();
        var command = args.Where(a => !IsConfiguration(a)).ToArray();
        return new(configuration, command);
    }

    private static bool IsConfiguration(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':');

    internal async Task<int> InvokeAsync(WebApplication app)
    {
        var name = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Name;
        var root = new RootCommand($"Bff gateway '{name}'");

        var context = new Commands.CommandContext(app);
        foreach (var group in Commands.BffCommands.Groups)
            if (group.Create(context) is { } command) root.Subcommands.Add(command);

        return await root.Parse(CommandArgs ?? []).InvokeAsync();
    }
}
