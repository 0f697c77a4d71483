namespace Bff.Shared.Configuration.File;

// The File* types mirror Ocelot 25's ocelot.json one-to-one (see ../shared/docs/ocelot-schema.md §1-§5). They are
// bound by Microsoft.Extensions.Configuration exactly as Ocelot binds them: names are case-insensitive, values are
// converted from strings, unknown properties are ignored. Properties marked "extension" are ours; Ocelot ignores them,
// so a file that uses them stays portable.

/// <summary>The root of an ocelot.json file (or of the merged ocelot.*.json files of a folder).</summary>
internal sealed class FileConfiguration
{
    public List<FileRoute> Routes { get; set; } = [];
    public List<FileDynamicRoute> DynamicRoutes { get; set; } = [];
    public List<FileAggregateRoute> Aggregates { get; set; } = [];
    public FileGlobalConfiguration GlobalConfiguration { get; set; } = new();
}
