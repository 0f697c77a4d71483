namespace Bff.Shared.Tests.Compatibility;

/// <summary>
/// One row of the Ocelot 25 compatibility suite: an ocelot.json, one request, and what Ocelot 25 does with it
/// (per ../shared/docs/ocelot-schema.md), or what we deliberately do instead (Deviation is then set and names the
/// README compatibility-table entry).
/// </summary>
/// <param name="Name">Unique, readable case name (becomes the NUnit test name).</param>
/// <param name="Config">
/// The complete ocelot.json text. <c>{{PORT}}</c> is replaced by the port of a real echo backend on 127.0.0.1 and
/// <c>{{PORT2}}</c> by a second echo backend (for load balancing); <c>{{DEAD}}</c> by a port nobody listens on.
/// </param>
internal sealed record CompatibilityCase(
    string Name,
    string Config,
    CompatibilityRequest Request,
    CompatibilityExpectation Expect,
    string? Deviation = null)
{
    public override string ToString() => Name;
}

/// <param name="Host">Host header to send (default 127.0.0.1:&lt;gateway port&gt;).</param>
/// <param name="RawTarget">When set, sent byte-for-byte as the request target (for encoded slashes, dot segments).</param>
internal sealed record CompatibilityRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string>? Headers = null,
    string? Host = null,
    string? Body = null);

/// <summary>
/// What must come out. Status is the status the client sees. When the request reaches the echo backend, Method and
/// PathAndQuery are what the backend saw (raw request target, e.g. "/api/users/42?x=1"). In DownstreamHeaders and
/// ResponseHeaders a null value means "this header must be absent"; otherwise the value must be equal.
/// Backend = which echo backend must have answered: 1 or 2 (null = don't care, 0 = the request must NOT reach any backend).
/// ProblemJson = the gateway itself answered with application/problem+json.
/// </summary>
internal sealed record CompatibilityExpectation(
    int Status,
    string? Method = null,
    string? PathAndQuery = null,
    IReadOnlyDictionary<string, string?>? DownstreamHeaders = null,
    IReadOnlyDictionary<string, string?>? ResponseHeaders = null,
    int? Backend = null,
    bool ProblemJson = false);
