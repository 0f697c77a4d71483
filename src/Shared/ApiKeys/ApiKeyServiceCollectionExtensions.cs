using Bff.Shared.Admin;
using Bff.Shared.ApiKeys;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Microsoft.Extensions.Hosting;

public static class ApiKeyHostApplicationBuilderExtensions
{
    /// <summary>
    /// The SQL key store (<c>KeyStore:Provider</c> Sqlite|SqlServer, <c>ConnectionStrings:KeyStore</c>,
    /// <c>ConnectionStrings:Audit</c>): clients, plans, API keys, users, audit log; migrated on start for SQLite.
    /// </summary>
    public static IHostApplicationBuilder AddKeyStore(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<KeyStoreOptions>()
            .BindConfiguration("KeyStore")
            .Configure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("KeyStore")
                    ?? (o.Provider == KeyStoreProvider.Sqlite ? KeyStoreOptions.DefaultSqliteConnectionString() : "");
                o.AuditConnectionString = configuration.GetConnectionString("Audit") ?? "";
            })
            .Validate(o => o.ConnectionString.Length > 0, "ConnectionStrings:KeyStore is required when KeyStore:Provider is SqlServer")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyStoreContextFactory>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<KeyStoreService>();
        builder.Services.AddOptions<UserOptions>().BindConfiguration("Users");
        builder.Services.AddSingleton<UserService>();
        builder.Services.AddHostedService<KeyStoreStartup>();
        AddKeyCache(builder);
        return builder;
    }

    /// <summary>
    /// The <c>ApiKey</c> authentication scheme (header <c>X-Api-Key</c>) for routes that name it in
    /// <c>AuthenticationOptions</c>. Needs <see cref="AddKeyStore"/>. <c>ApiKeys:Pepper</c> is required outside
    /// Development.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.SectionName)
            .Validate(o => development || !string.IsNullOrWhiteSpace(o.Pepper), "ApiKeys:Pepper is required outside Development (a long random secret; keys are stored as HMAC-SHA-256 under it)")
            .Validate(o => o.Pepper is null || o.Pepper.Length >= 32, "ApiKeys:Pepper must be at least 32 characters")
            .ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        // The admin API authenticates with API keys; it is mapped only when Admin:Enabled is true.
        builder.Services.AddOptions<AdminOptions>().BindConfiguration("Admin");
        AdminEndpoints.AddServices(builder.Services);
        return builder;
    }

    private static void AddKeyCache(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName);
        builder.Services.AddSingleton<ApiKeyCache>();
        var cacheDuration = builder.Configuration.GetSection(ApiKeyOptions.SectionName).Get<ApiKeyOptions>()?.CacheDuration ?? TimeSpan.FromMinutes(5);
        var cache = builder.Services.AddFusionCache(ApiKeyCache.CacheName)
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = cacheDuration,
                // The database may be down: keys seen before keep working (never "accept unknown").
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = TimeSpan.FromDays(1),
                FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
            });
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis)) return;
        // Memory (L1) + Redis (L2) + backplane: a revocation evicts the key from every replica's memory at once.
        cache.WithSerializer(new FusionCacheSystemTextJsonSerializer())
            .WithDistributedCache(new RedisCache(new RedisCacheOptions { Configuration = redis, InstanceName = "bffs:" }))
            .WithBackplane(new RedisBackplane(new RedisBackplaneOptions { Configuration = redis }));
    }
}

/// <summary>Applies migrations when the host starts (default for SQLite; <c>KeyStore:MigrateOnStart</c>).</summary>
internal sealed class KeyStoreStartup(KeyStoreContextFactory contexts, Microsoft.Extensions.Options.IOptions<KeyStoreOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.ShouldMigrateOnStart ? contexts.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
