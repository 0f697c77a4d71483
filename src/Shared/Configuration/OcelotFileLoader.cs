using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bff.Shared.Configuration.File;
using Microsoft.Extensions.Configuration;

namespace Bff.Shared.Configuration;

/// <summary>
/// Reads <c>Gateway:ConfigPath</c>: one ocelot.json file, or a folder in Ocelot's split form. In a folder every
/// <c>ocelot.&lt;area&gt;.json</c> is merged the way Ocelot's <c>AddOcelot(folder, env)</c> merges them (Routes,
/// Aggregates and DynamicRoutes concatenated, GlobalConfiguration only from ocelot.global.json), in file-name order.
/// <c>ocelot.&lt;Environment&gt;.json</c> is not an area: it is overlaid key by key on the result, exactly like an
/// extra <c>AddJsonFile</c> in an Ocelot host (arrays overlay by index).
/// </summary>
internal static partial class OcelotFileLoader
{
    private static readonly string[] StandardEnvironments = ["Development", "Staging", "Production"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    [GeneratedRegex(@"^ocelot\.(.+)\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AreaFileName();

    public static LoadedConfiguration Load(string path, string environmentName)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return LoadFolder(full, environmentName);
        if (System.IO.File.Exists(full)) return LoadFiles([full], OverlayBeside(full, environmentName), full);

        var missing = new LoadedConfiguration();
        missing.Errors.Add(new ConfigError(full, "", "no such file or folder (Gateway:ConfigPath)"));
        return missing;
    }

    private static LoadedConfiguration LoadFolder(string folder, string environmentName)
    {
        var areas = new List<string>();
        string? single = null;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            var name = Path.GetFileName(file);
            if (name.Equals("ocelot.json", StringComparison.OrdinalIgnoreCase)) { single = file; continue; }
            var match = AreaFileName().Match(name);
            if (!match.Success) continue;
            var area = match.Groups[1].Value;
            if (area.Equals(environmentName, StringComparison.OrdinalIgnoreCase)) continue;
            if (StandardEnvironments.Contains(area, StringComparer.OrdinalIgnoreCase)) continue;
            areas.Add(file);
        }

        var overlay = FindOverlay(folder, "ocelot", environmentName);
        if (areas.Count == 0)
        {
            if (single is not null) return LoadFiles([single], overlay, single);
            var empty = new LoadedConfiguration();
            empty.Errors.Add(new ConfigError(folder, "", "the folder holds neither ocelot.json nor any ocelot.<area>.json"));
            return empty;
        }

        areas.Sort(StringComparer.OrdinalIgnoreCase);
        var global = areas.FirstOrDefault(f => Path.GetFileName(f).Equals("ocelot.global.json", StringComparison.OrdinalIgnoreCase));
        var loaded = LoadFiles(areas, overlay, global);
        if (single is not null)
            loaded.Warnings.Add($"{single}: ignored, because the folder uses the split form (ocelot.<area>.json files)");
        return loaded;
    }

    private static string? OverlayBeside(string file, string environmentName)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        return FindOverlay(Path.GetDirectoryName(file)!, stem, environmentName);
    }

    private static string? FindOverlay(string folder, string stem, string environmentName)
    {
        if (string.IsNullOrEmpty(environmentName)) return null;
        var wanted = $"{stem}.{environmentName}.json";
        return Directory.EnumerateFiles(folder, "*.json")
            .FirstOrDefault(f => Path.GetFileName(f).Equals(wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static LoadedConfiguration LoadFiles(IReadOnlyList<string> files, string? overlay, string? globalFile)
    {
        var errors = new List<ConfigError>();
        var warnings = new List<string>();
        var routes = new JsonArray();
        var aggregates = new JsonArray();
        var dynamicRoutes = new JsonArray();
        var routeSources = new List<ItemSource>();
        var aggregateSources = new List<ItemSource>();
        var dynamicSources = new List<ItemSource>();
        JsonNode? global = null;

        foreach (var file in files)
        {
            if (Parse(file, errors) is not JsonObject root) continue;
            try
            {
                Append(root, "Routes", file, routes, routeSources, errors);
                Append(root, "Aggregates", file, aggregates, aggregateSources, errors);
                Append(root, "DynamicRoutes", file, dynamicRoutes, dynamicSources, errors);
                if (root["GlobalConfiguration"] is { } g)
                {
                    if (file == globalFile) global = g.DeepClone();
                    else warnings.Add($"{file}: GlobalConfiguration ignored: in the split form it is read from ocelot.global.json only");
                }
            }
            catch (ArgumentException e)
            {
                // Names are case-insensitive (as in Ocelot), so "Routes" and "routes" in one object collide.
                errors.Add(new ConfigError(file, "", "a property name occurs twice (names are case-insensitive): " + e.Message));
            }
        }

        var merged = new JsonObject
        {
            ["Routes"] = routes,
            ["Aggregates"] = aggregates,
            ["DynamicRoutes"] = dynamicRoutes,
        };
        if (global is not null) merged["GlobalConfiguration"] = global;

        var builder = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(merged.ToJsonString())));
        if (overlay is not null && Parse(overlay, errors) is not null)
            builder.AddJsonFile(overlay, optional: true, reloadOnChange: false);

        var all = overlay is null ? files.ToList() : [.. files, overlay];
        var unboundRoutes = new HashSet<int>();
        var unboundAggregates = new HashSet<int>();
        var result = new LoadedConfiguration
        {
            Files = all,
            RouteSources = routeSources,
            AggregateSources = aggregateSources,
            DynamicRouteSources = dynamicSources,
            GlobalSource = globalFile ?? files[0],
            Bound = errors.Count == 0,
            File = errors.Count == 0 ? Bind(builder, routeSources, aggregateSources, dynamicSources, globalFile ?? files[0], overlay, errors, unboundRoutes, unboundAggregates) : new(),
            UnboundRoutes = unboundRoutes,
            UnboundAggregates = unboundAggregates,
        };
        result.Errors.AddRange(errors);
        result.Warnings.AddRange(warnings);
        return result;
    }

    private static JsonNode? Parse(string file, List<ConfigError> errors)
    {
        try
        {
            var node = JsonNode.Parse(System.IO.File.ReadAllText(file), NodeOptions, DocumentOptions);
            if (node is JsonObject) return node;
            errors.Add(new ConfigError(file, "", "the file must hold a JSON object"));
        }
        catch (JsonException e)
        {
            errors.Add(new ConfigError(file, $"(line {e.LineNumber + 1}, column {e.BytePositionInLine + 1})", "invalid JSON: " + FirstSentence(e.Message)));
        }
        catch (IOException e)
        {
            errors.Add(new ConfigError(file, "", "cannot be read: " + e.Message));
        }
        return null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static void Append(JsonObject root, string name, string file, JsonArray into, List<ItemSource> sources, List<ConfigError> errors)
    {
        switch (root[name])
        {
            case null:
                return;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    into.Add(array[i]?.DeepClone());
                    sources.Add(new ItemSource(file, i));
                }
                return;
            default:
                errors.Add(new ConfigError(file, name, "must be an array"));
                return;
        }
    }

    private static FileConfiguration Bind(
        IConfigurationBuilder builder,
        List<ItemSource> routeSources, List<ItemSource> aggregateSources, List<ItemSource> dynamicSources,
        string globalFile, string? overlay, List<ConfigError> errors, HashSet<int> unboundRoutes, HashSet<int> unboundAggregates)
    {
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or JsonException)
        {
            errors.Add(new ConfigError(overlay ?? globalFile, "", "invalid JSON: " + e.Message));
            return new();
        }

        var config = new FileConfiguration
        {
            Routes = BindArray<FileRoute>(root.GetSection("Routes"), "Routes", routeSources, overlay, errors, unboundRoutes),
            Aggregates = BindArray<FileAggregateRoute>(root.GetSection("Aggregates"), "Aggregates", aggregateSources, overlay, errors, unboundAggregates),
            DynamicRoutes = BindArray<FileDynamicRoute>(root.GetSection("DynamicRoutes"), "DynamicRoutes", dynamicSources, overlay, errors, []),
        };
        try
        {
            config.GlobalConfiguration = root.GetSection("GlobalConfiguration").Get<FileGlobalConfiguration>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            errors.Add(new ConfigError(globalFile, "GlobalConfiguration", BinderMessage(e)));
        }
        return config;
    }

    private static List<T> BindArray<T>(IConfigurationSection section, string name, List<ItemSource> sources, string? overlay, List<ConfigError> errors, HashSet<int> unbound)
        where T : new()
    {
        var items = new List<T>();
        foreach (var child in section.GetChildren())
        {
            var index = int.TryParse(child.Key, out var i) ? i : items.Count;
            try
            {
                items.Add(child.Get<T>() ?? new T());
            }
            catch (InvalidOperationException e)
            {
                var source = SourceOf(sources, index, overlay);
                errors.Add(new ConfigError(source.File, $"{name}[{source.Index}]", BinderMessage(e)));
                unbound.Add(items.Count);
                items.Add(new T());
            }
        }
        return items;
    }

    /// <summary>Maps an index of a merged array back to its file (items past the merged ones come from the overlay).</summary>
    public static ItemSource SourceOf(IReadOnlyList<ItemSource> sources, int index, string? overlay) =>
        index < sources.Count ? sources[index] : new ItemSource(overlay ?? "(overlay)", index);

    private static string BinderMessage(InvalidOperationException e) =>
        e.InnerException is { } inner && e.Message.StartsWith("Failed to convert", StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
}
