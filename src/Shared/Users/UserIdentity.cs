namespace Bff.Shared.Users;

/// <summary>A signed-in user as the identity features need it; <paramref name="Claims"/> are the user's stored claims
/// (see <see cref="UserClaims"/>), asserted by the gateway to backends through the route files.</summary>
internal sealed record UserIdentity(string Id, string Username, IReadOnlyList<string> Roles, IReadOnlyDictionary<string, string> Claims);
