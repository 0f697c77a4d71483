using Yarp.ReverseProxy.Forwarder;

namespace Bff.Shared.Forwarding;

/// <summary>What one forward attempt produced: YARP's error and the status the downstream answered with.</summary>
internal readonly record struct ForwardOutcome(ForwarderError Error, int StatusCode, bool ClientAborted)
{
    /// <summary>Failures the circuit counts (Ocelot's rule): the downstream could not be reached, timed out, broke
    /// off, or answered 500–508. A client that went away is not the downstream's fault. A downstream that broke off
    /// mid-body is, even though YARP then aborts the client's connection (which also cancels RequestAborted).</summary>
    public bool IsFailure => Error == ForwarderError.None
        ? !ClientAborted && StatusCode is >= 500 and <= 508
        : !ForwarderErrors.IsClientSide(Error);
}
