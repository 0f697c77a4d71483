namespace Bff.Shared.Users;

/// <summary>A password check's slot: whether the check may run, and whether it is the last one before the lockout.</summary>
internal readonly record struct SignInSlot(bool Allowed, bool Last);
