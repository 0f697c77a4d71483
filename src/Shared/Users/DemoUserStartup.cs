using Bff.Shared.KeyStore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Shared.Users;

/// <summary>
/// In Development only: creates the demo user named by <c>Users:DemoUsername</c> / <c>Users:DemoPassword</c> when the
/// key store has no user of that name (Bff.Web's <c>appsettings.Development.json</c> names one, so the app host's
/// web demo can be signed in to). Outside Development the settings are ignored, with a warning.
/// </summary>
internal sealed partial class DemoUserStartup(UserService users, IOptions<UserOptions> options, IHostEnvironment environment, ILogger<DemoUserStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (username, password) = (options.Value.DemoUsername, options.Value.DemoPassword);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password)) return;
        if (!environment.IsDevelopment())
        {
            LogIgnored(logger, environment.EnvironmentName);
            return;
        }
        if ((await users.ListAsync(cancellationToken)).Any(u => u.Username == username)) return;
        try
        {
            await users.CreateAsync(username, password, ["demo"], options.Value.DemoClaims, new AuditActor("system:demo-user"), cancellationToken);
            LogCreated(logger, username);
        }
        catch (KeyStoreException e) when (e.Status == 409)
        {
            // Another host sharing the key store created it first.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.DemoUserCreated, Level = LogLevel.Information, Message = "Created the demo user {Username} (Development only)")]
    private static partial void LogCreated(ILogger logger, string username);

    [LoggerMessage(EventId = Bff.Shared.Observability.GatewayEventIds.DemoUserIgnored, Level = LogLevel.Warning, Message = "Users:DemoUsername is ignored outside Development (environment {Environment})")]
    private static partial void LogIgnored(ILogger logger, string environment);
}
