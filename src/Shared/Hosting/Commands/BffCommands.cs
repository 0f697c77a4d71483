namespace Bff.Shared.Hosting.Commands;

/// <summary>Every verb a host understands, in help order. <see cref="BffCommandLine"/> takes its verb list from
/// here, so a new command group is one file and one line.</summary>
internal static class BffCommands
{
    public static readonly IReadOnlyList<BffCommandGroup> Groups =
    [
        ValidateCommand.Group,
        MigrateCommand.Group,
        ClientCommands.Group,
        PlanCommands.Group,
        KeyCommands.Group,
        UserCommands.Group,
        CacheCommands.Group,
        SigningKeyCommands.Group,
    ];

    public static IEnumerable<string> Verbs => Groups.Select(g => g.Verb);
}
