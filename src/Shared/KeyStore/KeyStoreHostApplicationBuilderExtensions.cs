using Bff.Shared.ApiKeys;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class KeyStoreHostApplicationBuilderExtensions
{
    /// <summary>
    /// The SQL key store (<c>KeyStore:Provider</c> Sqlite|SqlServer|Postgres, <c>ConnectionStrings:KeyStore</c>,
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
            .BindConfiguration(KeyStoreOptions.SectionName)
            .Configure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("KeyStore")
                    ?? (o.Provider == KeyStoreProvider.Sqlite ? KeyStoreOptions.DefaultSqliteConnectionString(environmentName) : "");
                o.AuditConnectionString = configuration.GetConnectionString("Audit") ?? "";
            })
            .Validate(o => o.ConnectionString.Length > 0, "ConnectionStrings:KeyStore is required when KeyStore:Provider is SqlServer or Postgres")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyStoreContextFactory>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<KeyStoreService>();
        builder.Services.AddSingleton<Bff.Shared.ClientCredentials.ClientSecretService>(); // clients secrets …, /oauth/token
        builder.Services.AddOptions<UserOptions>().BindConfiguration(UserOptions.SectionName);
        builder.Services.TryAddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<UserEntity>, Microsoft.AspNetCore.Identity.PasswordHasher<UserEntity>>();
        builder.Services.AddSingleton<SignInThrottle>(); // on the rate limiter's store (AddBffGateway)
        builder.Services.AddSingleton<UserService>();
        builder.Services.AddHostedService<KeyStoreStartup>();
        // After the migrations: the Development demo user (Users:DemoUsername), if one is configured.
        builder.Services.AddHostedService<DemoUserStartup>();
        ApiKeyHostApplicationBuilderExtensions.AddKeyCache(builder);
        return builder;
    }
}
