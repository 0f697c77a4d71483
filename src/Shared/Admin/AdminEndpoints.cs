using Bff.Shared.ApiKeys;
using Bff.Shared.Caching;
using Bff.Shared.KeyStore;
using Bff.Shared.Problems;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Bff.Shared.Admin;

/// <summary>
/// The admin HTTP API over the key store: clients, plans, keys (the key is shown once, at creation or rotation),
/// users and the audit log. Callers authenticate with an API key that has the <c>admin</c> scope. The same
/// operations exist as commands (<see cref="Hosting.BffCommandLine"/>); both write audit records.
/// </summary>
internal static class AdminEndpoints
{
    public const string Policy = "bffs-admin";
    public const string Scope = "admin";

    public sealed record CreateClientRequest(string Name, string? Plan);
    public sealed record SetPlanRequest(string? Rate, string? Quota);
    public sealed record CreateKeyRequest(string Client, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt, string? Name);
    public sealed record ClientView(string Id, string Name, string? Plan, DateTime CreatedAt, bool Disabled);
    public sealed record PlanView(string Name, string? Rate, string? Quota);
    public sealed record CreateUserRequest(string Username, string Password, IReadOnlyList<string>? Roles);
    public sealed record UserView(string Id, string Username, IReadOnlyList<string> Roles, bool Disabled, DateTime CreatedAt, DateTime? LastLoginAt);

    /// <summary>Maps the admin API (<c>/admin/*</c>) when <c>Admin:Enabled</c> is true; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        if (!IsEnabled(app.ServiceProvider)) return app;
        var admin = app.MapGroup("/admin").RequireAuthorization(Policy).WithTags("admin");

        admin.MapGet("/clients", async (KeyStoreService store, CancellationToken ct) =>
            (await store.ListClientsAsync(ct)).Select(c => new ClientView(c.Id, c.Name, c.PlanName, c.CreatedAt, c.Disabled)));
        admin.MapPost("/clients", (CreateClientRequest request, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            var client = await store.CreateClientAsync(request.Name, request.Plan, actor, context.RequestAborted);
            return Results.Created($"/admin/clients/{client.Id}", new ClientView(client.Id, client.Name, client.PlanName, client.CreatedAt, client.Disabled));
        }));

        admin.MapPost("/clients/{name}/disable", (string name, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            await store.DisableClientAsync(name, actor, context.RequestAborted);
            return Results.NoContent();
        }));

        admin.MapGet("/plans", async (KeyStoreService store, CancellationToken ct) => (await store.ListPlansAsync(ct)).Select(ToView));
        admin.MapPut("/plans/{name}", (string name, SetPlanRequest request, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            if (!TryLimit(request.Rate, out var rate) || !TryLimit(request.Quota, out var quota))
                throw new KeyStoreException("Rate and quota are written count/period, e.g. 100/1s or 100000/1d.", 400);
            return Results.Ok(ToView(await store.SetPlanAsync(name, rate, quota, actor, context.RequestAborted)));
        }));

        admin.MapGet("/keys", async (string? client, KeyStoreService store, CancellationToken ct) => await store.ListKeysAsync(client, ct));
        admin.MapPost("/keys", (CreateKeyRequest request, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            var created = await store.CreateKeyAsync(request.Client, request.Scopes ?? [], request.ExpiresAt, request.Name, actor, context.RequestAborted);
            return Results.Created($"/admin/keys/{created.Id}", created);
        }));
        admin.MapPost("/keys/{id}/revoke", (string id, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            await store.RevokeKeyAsync(id, actor, context.RequestAborted);
            return Results.NoContent();
        }));
        admin.MapPost("/keys/{id}/rotate", (string id, string? grace, KeyStoreService store, HttpContext context) => Run(context, async actor =>
        {
            TimeSpan? overlap = null;
            if (grace is not null)
            {
                if (!Durations.TryParse(grace, out var parsed)) throw new KeyStoreException("grace is a duration such as 24h or 30m.", 400);
                overlap = parsed;
            }
            return Results.Ok(await store.RotateKeyAsync(id, overlap, actor, context.RequestAborted));
        }));

        admin.MapGet("/users", async (UserService users, CancellationToken ct) => (await users.ListAsync(ct)).Select(ToView));
        admin.MapPost("/users", (CreateUserRequest request, UserService users, HttpContext context) => Run(context, async actor =>
        {
            var user = await users.CreateAsync(request.Username, request.Password, request.Roles ?? [], actor, context.RequestAborted);
            return Results.Created($"/admin/users/{user.Username}", ToView(user));
        }));
        admin.MapPost("/users/{username}/disable", (string username, UserService users, HttpContext context) => Run(context, async actor =>
        {
            await users.DisableAsync(username, actor, context.RequestAborted);
            return Results.NoContent();
        }));

        // Response cache purges: every replica within a second (backplane), audited.
        admin.MapDelete("/cache/regions/{region}", (string region, ResponseCache cache, AuditLog audit, HttpContext context) =>
            Purge(context, audit, $"region:{region}", ct => cache.PurgeRegionAsync(region, ct)));
        admin.MapDelete("/cache/entries", (string route, ResponseCache cache, AuditLog audit, HttpContext context) =>
            Purge(context, audit, $"route:{route}", ct => cache.PurgeRouteAsync(route, ct)));
        // Ocelot's administration path.
        app.MapDelete("/outputcache/{region}", (string region, ResponseCache cache, AuditLog audit, HttpContext context) =>
            Purge(context, audit, $"region:{region}", ct => cache.PurgeRegionAsync(region, ct))).RequireAuthorization(Policy);

        admin.MapGet("/audit", async (string? actor, string? target, DateTime? from, DateTime? to, int? page, int? pageSize, AuditLog audit, CancellationToken ct) =>
            await audit.QueryAsync(actor, target, from?.ToUniversalTime(), to?.ToUniversalTime(), Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 50, 1, 500), ct));

        if (app.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.Docs)
        {
            app.MapOpenApi("/admin/openapi/{documentName}.json");
            app.MapScalarApiReference("/admin/docs", options => options.WithOpenApiRoutePattern("/admin/openapi/{documentName}.json"));
        }
        return app;
    }

    private static async Task<IResult> Purge(HttpContext context, AuditLog audit, string target, Func<CancellationToken, ValueTask> purge)
    {
        await purge(context.RequestAborted);
        var user = context.User;
        await audit.WriteAsync(new AuditActor($"key:{user.FindFirst(ApiKeyDefaults.KeyIdClaim)?.Value}", context.Connection.RemoteIpAddress?.ToString()),
            "cache.purge", target, "success", null, CancellationToken.None);
        return Results.NoContent();
    }

    private static UserView ToView(UserEntity u) =>
        new(u.Id, u.Username, u.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), u.Disabled, u.CreatedAt, u.LastLoginAt);

    private static PlanView ToView(PlanEntity p) => new(p.Name,
        p.RateLimit is { } r && p.RatePeriod is { } rp ? new PlanLimit(r, rp).ToString() : null,
        p.QuotaLimit is { } q && p.QuotaPeriod is { } qp ? new PlanLimit(q, qp).ToString() : null);

    private static bool TryLimit(string? text, out PlanLimit? limit)
    {
        limit = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!PlanLimit.TryParse(text, out var parsed)) return false;
        limit = parsed;
        return true;
    }

    private static async Task<IResult> Run(HttpContext context, Func<AuditActor, Task<IResult>> operation)
    {
        var user = context.User;
        var actor = new AuditActor($"key:{user.FindFirst(ApiKeyDefaults.KeyIdClaim)?.Value}", context.Connection.RemoteIpAddress?.ToString());
        try
        {
            return await operation(actor);
        }
        catch (KeyStoreException e)
        {
            await GatewayProblems.WriteAsync(context, e.Status, ReasonPhrase(e.Status), e.Message);
            return Results.Empty;
        }
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    /// <summary>The admin API's services: its authorization policy and OpenAPI document (mapped by <see cref="MapAdminApi"/>).</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyDefaults.ScopeClaim, Scope));
        services.AddOpenApi();
        return services;
    }

    public static bool IsEnabled(IServiceProvider services) => services.GetService<IOptions<AdminOptions>>()?.Value.Enabled == true;
}
