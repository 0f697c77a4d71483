using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// ASP.NET Core Data Protection for every BFF host, with one key ring for all its replicas: in Redis
/// (<c>bffs:data-protection-keys</c>) when <c>ConnectionStrings:Redis</c> is set, else in
/// <c>DataProtection:KeysFolder</c> when set (a volume every replica mounts), else ASP.NET Core's per-machine default
/// (one replica only). The application name is the host's (<c>Bffs.Web</c>, <c>Bffs.Mobile</c>, <c>Bffs.Partner</c>):
/// replicas of one BFF read each other's cookies and protected payloads; another BFF cannot.
/// </summary>
public static class DataProtectionHostApplicationBuilderExtensions
{
    public const string RedisKey = "bffs:data-protection-keys";

    public static IHostApplicationBuilder AddGatewayDataProtection(this IHostApplicationBuilder builder, string bff)
    {
        var services = builder.Services;
        var name = bff.Length == 0 ? "Bffs" : $"Bffs.{char.ToUpperInvariant(bff[0])}{bff[1..]}";
        var dataProtection = services.AddDataProtection().SetApplicationName(name);
        var redis = builder.Configuration.GetConnectionString("Redis");
        var folder = builder.Configuration["DataProtection:KeysFolder"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            Bff.Shared.Hosting.RedisConnection.Add(services, redis);
            services.AddOptions<KeyManagementOptions>().Configure<StackExchange.Redis.IConnectionMultiplexer>((o, mux) =>
                o.XmlRepository = new RedisXmlRepository(() => mux.GetDatabase(), RedisKey));
        }
        else if (!string.IsNullOrWhiteSpace(folder))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        return builder;
    }
}
