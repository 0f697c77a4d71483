namespace Bff.Shared.Sessions;

/// <summary>The session behind the current request (for logout and the session list).</summary>
internal sealed record CurrentSessionFeature(SessionRecord Session);
