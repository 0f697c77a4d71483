namespace Bff.Shared.Configuration.File;

internal class FileHttpHandlerOptions
{
    public bool? AllowAutoRedirect { get; set; }
    public int? MaxConnectionsPerServer { get; set; }
    public int? PooledConnectionLifetimeSeconds { get; set; }
    public bool? UseCookieContainer { get; set; }
    public bool? UseProxy { get; set; }
    public bool? UseTracing { get; set; }
}
