using Bff.Shared.Admin;
using Bff.Shared.ApiKeys;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ZiggyCreatures.Caching.Fusion;

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
        var development = builder.Environment.IsDevelopment();
        var environmentName = builder.Environment.EnvironmentName;
        // Keys are created wherever the key store is (every host has the commands): the pepper is checked here.
        builder.Services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.SectionName)
            .Validate(o => development || !string.IsNullOrWhiteSpace(o.Pepper), "ApiKeys:Pepper is required outside Development (a long random secret; keys are stored as HMAC-SHA-256 under it)")
            .Validate(o => o.Pepper is null || o.Pepper.Length >= 32, "ApiKeys:Pepper must be at least 32 characters")
            .Validate(o => o.RotationGrace >= TimeSpan.Zero && o.RotationGrace <= KeyStoreService.MaxRotationGrace, "ApiKeys:RotationGrace must be between 0 and 7 days")
            .ValidateOnStart();
        builder.Services.AddOptions<KeyStoreOptions>()
            .BindConfiguration("KeyStore")
            .Configure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("KeyStore")
                    ?? (o.Provider == KeyStoreProvider.Sqlite ? KeyStoreOptions.DefaultSqliteConnectionString(environmentName) : "");
                o.AuditConnectionString = configuration.GetConnectionString("Audit") ?? "";
            })
            .Validate(o => o.ConnectionString.Length > 0, "ConnectionStrings:KeyStore is required when KeyStore:Provider is SqlServer")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyStoreContextFactory>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<KeyStoreService>();
        builder.Services.AddOptions<UserOptions>().BindConfiguration("Users");
        builder.Services.TryAddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<UserEntity>, Microsoft.AspNetCore.Identity.PasswordHasher<UserEntity>>();
        builder.Services.AddSingleton<SignInThrottle>(); // on the rate limiter's store (AddBffGateway)
        builder.Services.AddSingleton<UserService>();
        builder.Services.AddHostedService<KeyStoreStartup>();
        // After the migrations: the Development demo user (Users:DemoUsername), if one is configured.
        builder.Services.AddHostedService<DemoUserStartup>();
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
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        // The admin API authenticates with API keys; it is mapped only when Admin:Enabled is true (Bff.Partner's
        // Development settings), its OpenAPI document and UI only when Admin:Docs is (default: Development).
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<AdminOptions>().Configure(o => o.Docs = development).BindConfiguration("Admin");
        AdminEndpoints.AddServices(builder.Services);
        return builder;
    }

    private static void AddKeyCache(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyCache>();
        var cacheDuration = builder.Configuration.GetSection(ApiKeyOptions.SectionName).Get<ApiKeyOptions>()?.CacheDuration ?? TimeSpan.FromMinutes(5);
        var redis = builder.Configuration.GetConnectionString("Redis");
        // Without Redis nothing can tell other processes (a second replica, the keys revoke command) to evict a key:
        // entries then live at most a second, so a revocation still takes effect everywhere within one.
        if (string.IsNullOrWhiteSpace(redis) && cacheDuration > TimeSpan.FromSeconds(1)) cacheDuration = TimeSpan.FromSeconds(1);
        var cache = builder.Services.AddFusionCache(ApiKeyCache.CacheName)
            // Its own prefix in the Redis it shares with the response cache (FusionCache warns at start without one).
            .WithOptions(o => o.CacheKeyPrefix = ApiKeyCache.CacheName + ":")
            // Size-limited (ApiKeys:CacheEntries): ids come from callers.
            .WithMemoryCache(sp => sp.GetRequiredService<ApiKeyCache>().Memory)
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = cacheDuration,
                Size = 1,
                // With Redis, the database may be down: keys seen before keep working (never "accept unknown"), as a
                // change reaches every replica through Redis; a slow database answers from the stale entry after a
                // second, and gives up after five. Without Redis a change made elsewhere is learnt only from the
                // database, so no record outlives the cache duration: a store that cannot be read refuses (503).
                IsFailSafeEnabled = !string.IsNullOrWhiteSpace(redis),
                FailSafeMaxDuration = TimeSpan.FromDays(1),
                FailSafeThrottleDuration = TimeSpan.FromSeconds(30),
                FactorySoftTimeout = TimeSpan.FromSeconds(1),
                FactoryHardTimeout = TimeSpan.FromSeconds(5),
                // An eviction is sent before the revoking call returns (a command exits right after it).
                AllowBackgroundDistributedCacheOperations = false,
                AllowBackgroundBackplaneOperations = false,
            });
        if (string.IsNullOrWhiteSpace(redis)) return;
        // Memory (L1) + Redis (L2) + backplane: a revocation evicts the key from every replica's memory at once.
        Bff.Shared.Hosting.RedisConnection.UseFor(cache, redis);
    }
}

/// <summary>Applies migrations when the host starts (default for SQLite; <c>KeyStore:MigrateOnStart</c>).</summary>
internal sealed class KeyStoreStartup(KeyStoreContextFactory contexts, Microsoft.Extensions.Options.IOptions<KeyStoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ShouldMigrateOnStart) return;
        try
        {
            await contexts.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new Bff.Shared.Hosting.BffStartupException(
                $"the key store ({options.Value.Describe()}) cannot be opened or migrated: {e.Message.TrimEnd('.')}. " +
                "Check ConnectionStrings:KeyStore (and ConnectionStrings:Audit), that the database is reachable and writable, " +
                "or run the 'migrate' command to see the migration that fails.", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
