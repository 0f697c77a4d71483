using System.CommandLine;

namespace Bff.Shared.Hosting.Commands;

/// <summary>One verb of the hosts' command line and how to make it (null: not available on this host).</summary>
internal sealed record BffCommandGroup(string Verb, Func<CommandContext, Command?> Create);
