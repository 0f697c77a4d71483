using Bffs.AppHost;

// Starts the demo backends and the three BFFs. The route files name services (ServiceName), not ports: each BFF gets
// the backends' endpoints by WithReference (services__users__http__0 …), which its service discovery resolves.
// Endpoints are not proxied; clients use 5100/5200/5300.
var builder = DistributedApplication.CreateBuilder(args);

var users = builder.AddBackend("users", 6001);
var orders = builder.AddBackend("orders", 6002);
var payments = builder.AddBackend("payments", 6003);

// The demo OpenID Connect provider (samples/IdentityProvider): users ada and grace, client bff-web.
var identity = builder.AddFixedPortProject<Projects.IdentityProvider>("identity-provider", 5400)
    .WithHttpHealthCheck("/health");

// http://localhost:5100 is also the web frontend demo: "Sign in with the identity provider" (ada / ada-demo-password).
builder.AddBff<Projects.Bff_Web>("web-bff", 5100)
    .WithReference(users).WithReference(orders).WithReference(payments)
    .WithEnvironment("Oidc__Authority", "http://localhost:5400/")
    .WithEnvironment("Oidc__ClientId", "bff-web")
    .WithEnvironment("Oidc__ClientSecret", "bff-web-demo-secret") // the demo provider's; a real one comes from a vault
    .WithEnvironment("Oidc__RequireHttpsMetadata", "false")
    .WaitFor(identity)
    .WaitFor(users)
    .WaitFor(orders)
    .WaitFor(payments);

builder.AddBff<Projects.Bff_Mobile>("mobile-bff", 5200)
    .WithReference(users).WithReference(orders).WithReference(payments)
    .WaitFor(users)
    .WaitFor(orders)
    .WaitFor(payments);

builder.AddBff<Projects.Bff_Partner>("partner-bff", 5300)
    .WithReference(orders).WithReference(payments)
    .WaitFor(orders)
    .WaitFor(payments);

builder.Build().Run();
