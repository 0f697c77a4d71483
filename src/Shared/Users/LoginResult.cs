namespace Bff.Shared.Users;

/// <summary>The outcome of a password check. Callers answer every failure the same way (no hint which part was wrong).</summary>
internal enum LoginResult { Success, InvalidCredentials, LockedOut, Disabled }
