namespace Bffs.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>One instance of samples/Backends playing a single demo service on its well-known port.</summary>
    public static IResourceBuilder<ProjectResource> AddBackend(
        this IDistributedApplicationBuilder builder, string service, int port) =>
        builder.AddFixedPortProject<Projects.Backends>(service, port)
            .WithEnvironment("Service", service)
            .WithHttpHealthCheck("/health");

    public static IResourceBuilder<ProjectResource> AddBff<TProject>(
        this IDistributedApplicationBuilder builder, string name, int port)
        where TProject : IProjectMetadata, new() =>
        builder.AddFixedPortProject<TProject>(name, port);

    // Launch profiles are skipped so that the port given here is the only one the project listens on.
    public static IResourceBuilder<ProjectResource> AddFixedPortProject<TProject>(
        this IDistributedApplicationBuilder builder, string name, int port)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName);
}
