using System.CommandLine;
using Bff.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>validate [path]</c>: checks the route files and prints every error; exit 0 when valid, 1 otherwise.</summary>
internal static class ValidateCommand
{
    public static readonly BffCommandGroup Group = new("validate", Create);

    private static Command Create(CommandContext context)
    {
        var path = new Argument<string?>("path")
        {
            Description = "An ocelot.json file or a folder of ocelot.*.json files (default: Gateway:ConfigPath, else ocelot/<bff>)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var validate = new Command("validate", "Check the route files and print every error; exit 0 when valid, 1 otherwise") { path };
        validate.SetAction(result => Validate(context.Services, result.GetValue(path)));
        return validate;
    }

    private static int Validate(IServiceProvider services, string? path)
    {
        var provider = services.GetRequiredService<GatewayConfigProvider>();
        var target = path is null ? provider.ConfigPath : Path.GetFullPath(path);
        var (model, errors, warnings) = provider.Check(target);
        foreach (var warning in warnings) Console.Out.WriteLine($"warning: {warning}");
        if (model is null)
        {
            Console.Out.WriteLine($"{target}: {errors.Count} error(s)");
            foreach (var error in errors) Console.Out.WriteLine($"  {error}");
            return 1;
        }
        Console.Out.WriteLine($"{target}: valid, {model.Routes.Length} route(s), {model.Aggregates.Length} aggregate(s) from {model.Files.Count} file(s)");
        return 0;
    }
}
