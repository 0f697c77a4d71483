namespace Bff.Shared.Configuration.File;

internal sealed class FileAggregateRouteConfig
{
    public string? RouteKey { get; set; }
    public string? JsonPath { get; set; }
    public string? Parameter { get; set; }
}
