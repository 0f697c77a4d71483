using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>Telling YARP's errors apart by whose fault they are.</summary>
internal static class ForwarderErrors
{
    /// <summary>The client went away or failed (not the downstream's fault).</summary>
    public static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled
        or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled
        or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseClient
        or ForwarderError.UpgradeResponseCanceled;

    /// <summary>The request was cancelled because the client went away — not because the gateway itself aborted the
    /// connection after the downstream failed mid-answer (YARP reports that error first, then aborts).</summary>
    public static bool ClientWentAway(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.RequestAborted.IsCancellationRequested
        && (context.Features.Get<IForwarderErrorFeature>() is not { } failure || IsClientSide(failure.Error));
}
