using Bff.Shared.Hosting;

// Bff.Partner: the partner Backend-for-Frontend. Routes: ocelot/partner (Ocelot format).
// Verbs (`validate`, `migrate`, `clients`, `plans`, `keys`, `users`, `cache`, `signing-keys`; see Hosting/Commands) run a command; other arguments are ASP.NET Core configuration.
var commandLine = BffCommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(commandLine.Options);

builder.AddBffGateway(bff: "partner")
       .AddKeyStore()
       .AddApiKeyAuthentication()
       .AddClientCredentials();      // POST /oauth/token beside API keys

var app = builder.Build();

app.MapBffGateway();

return await app.RunBffAsync(commandLine);

/// <summary>Marker type for WebApplicationFactory&lt;T&gt; in tests (three hosts share one test project).</summary>
public sealed partial class PartnerBffMarker;
