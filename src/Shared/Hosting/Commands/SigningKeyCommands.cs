using System.CommandLine;
using Bff.Shared.KeyStore;
using Bff.Shared.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Hosting.Commands;

/// <summary><c>signing-keys rotate</c>: rolls the gateway's JWT signing key over (hosts that issue tokens).</summary>
internal static class SigningKeyCommands
{
    public static readonly BffCommandGroup Group = new("signing-keys", Create);

    private static Command? Create(CommandContext context)
    {
        if (!context.HasKeyStore || !context.Has<SigningKeys>()) return null;
        var json = CommandContext.JsonOption();
        var rotate = new Command("rotate", "Roll the JWT signing key over: a new key signs from now on; the old one validates until its last token expires") { json };
        rotate.SetAction(async (r, ct) => await context.Guard(async () =>
        {
            await context.ReadyAsync(ct);
            var (kid, activeFrom) = await context.Services.GetRequiredService<SigningKeys>().RotateAsync(ct);
            await context.Services.GetRequiredService<AuditLog>().WriteAsync(AuditActor.Cli(), "signing-key.rotate", $"signing-key:{kid}", "success", $"signs from {activeFrom:O}", ct);
            CommandContext.Print(r.GetValue(json), new { kid, activeFrom }, $"signing key {kid} is published now and signs from {activeFrom:u}");
        }));
        return new Command("signing-keys", "The gateway's JWT signing keys") { rotate };
    }
}
