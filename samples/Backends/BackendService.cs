namespace Bffs.Backends;

/// <summary>Which demo APIs this process exposes (config key <c>Service</c>).</summary>
[Flags]
internal enum BackendService
{
    Users = 1,
    Orders = 2,
    Payments = 4,
    All = Users | Orders | Payments,
}

internal static class BackendServiceConfiguration
{
    public static BackendService Read(IConfiguration configuration)
    {
        var value = configuration["Service"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return BackendService.All;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "users" => BackendService.Users,
            "orders" => BackendService.Orders,
            "payments" => BackendService.Payments,
            "all" => BackendService.All,
            _ => throw new InvalidOperationException(
                $"Service must be one of users, orders, payments, all (got '{value}')."),
        };
    }

    public static string Name(this BackendService service) => service switch
    {
        BackendService.Users => "users",
        BackendService.Orders => "orders",
        BackendService.Payments => "payments",
        _ => "all",
    };

    /// <summary>
    /// Listens on the service's well-known port (the one the route files point at) unless the host was told
    /// where to listen (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c> or a Kestrel endpoint section).
    /// </summary>
    public static void UseDefaultUrl(this IWebHostBuilder webHost, IConfiguration configuration, BackendService service)
    {
        var told = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (told)
        {
            return;
        }

        var port = service switch
        {
            BackendService.Users => 6001,
            BackendService.Orders => 6002,
            BackendService.Payments => 6003,
            _ => 6000,
        };
        webHost.UseUrls($"http://127.0.0.1:{port}");
    }
}
