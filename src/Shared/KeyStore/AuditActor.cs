namespace Bff.Shared.KeyStore;

/// <summary>Who made an administrative change, and from where.</summary>
internal sealed record AuditActor(string Name, string? SourceIp = null)
{
    /// <summary>A command run on the host's console.</summary>
    public static AuditActor Cli() => new($"cli:{Environment.UserName}");
}
