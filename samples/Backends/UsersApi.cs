namespace Bffs.Backends;

/// <summary>The demo User service: profiles and preferences (read-only).</summary>
internal static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users");

        users.MapGet("/", () => TypedResults.Ok(SeedData.Users));

        users.MapGet("/{id}", (string id) =>
            FindUser(id) is { } user ? TypedResults.Ok(user) : Problems.NotFound("User", id));

        users.MapGet("/{id}/preferences", (string id) =>
            FindUser(id) is { } user
                ? TypedResults.Ok(SeedData.Preferences.First(p => p.UserId == user.Id))
                : Problems.NotFound("User", id));
    }

    private static User? FindUser(string id) =>
        int.TryParse(id, out var userId) ? SeedData.Users.FirstOrDefault(u => u.Id == userId) : null;
}
