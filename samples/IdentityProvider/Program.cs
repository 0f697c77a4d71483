using Bffs.IdentityProvider;

// The demo identity provider: http://localhost:5400 unless --urls says otherwise. Users and clients: appsettings.json.
var app = IdentityProviderApp.Build(args);
await app.RunAsync();
