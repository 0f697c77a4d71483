namespace Bff.Shared.Hosting;

/// <summary>Host settings of a gateway, bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The name of this BFF (web, mobile, partner): default folder <c>ocelot/&lt;Name&gt;</c>, metric tag.</summary>
    public string Name { get; set; } = "gateway";

    /// <summary><c>Gateway:ConfigPath</c>: an ocelot.json file or a folder of ocelot.*.json files.</summary>
    public string? ConfigPath { get; set; }

    /// <summary><c>Gateway:ReloadOnChange</c>: watch the route files and apply edits (default true).</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary><c>Gateway:ForwardedHeaders</c>: Set (default), Append or Off.</summary>
    public ForwardedHeadersMode ForwardedHeaders { get; set; } = ForwardedHeadersMode.Set;

    /// <summary><c>Gateway:DrainDelay</c>: on SIGTERM, how long readiness reports unhealthy while the host still
    /// accepts requests, so load balancers take it out of rotation first (default 0).</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary><c>Gateway:ShutdownTimeout</c>: how long in-flight requests (streams included) may take to finish
    /// once the host stops accepting (default 30 s).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Gateway:OcelotEmptyPlaceholders</c>: when true, a placeholder may match an empty value as in Ocelot
    /// (<c>/x/{id}</c> matches <c>/x</c> and <c>/x/</c>). Default false: a placeholder needs at least one character,
    /// except a final <c>{everything}</c> catch-all, so an item route never becomes its collection route.</summary>
    public bool OcelotEmptyPlaceholders { get; set; }

    /// <summary>The default of <c>Gateway:StripRequestHeaders</c>: method overrides a backend framework may honour, and
    /// the scheme/SSL variants some take as "the client used HTTPS".</summary>
    public static readonly IReadOnlyList<string> DefaultStripRequestHeaders =
    [
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "X-Forwarded-Scheme", "X-Forwarded-Ssl", "X-Original-Proto", "Front-End-Https", "X-Url-Scheme",
    ];

    /// <summary><c>Gateway:StripRequestHeaders</c>: headers removed from every inbound request before routing, in
    /// addition to those any route sets (AddHeadersToRequest, UpstreamHeaderTransform). A configured list replaces
    /// <see cref="DefaultStripRequestHeaders"/>.</summary>
    public string[]? StripRequestHeaders { get; set; }

    /// <summary>The configured list, or the default when none is configured.</summary>
    public IReadOnlyList<string> EffectiveStripRequestHeaders => StripRequestHeaders ?? DefaultStripRequestHeaders;
}
