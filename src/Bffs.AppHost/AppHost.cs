using Bffs.AppHost;

// Starts the demo backends and the three BFFs on the fixed ports that ocelot/<bff>/*.json point at.
// Endpoints are not proxied: the route files name localhost:6001-6003 directly, and clients use 5100/5200/5300.
var builder = DistributedApplication.CreateBuilder(args);

var users = builder.AddBackend("users", 6001);
var orders = builder.AddBackend("orders", 6002);
var payments = builder.AddBackend("payments", 6003);

// http://localhost:5100 is also the web frontend demo; in Development Bff.Web creates its demo user (ada).
builder.AddBff<Projects.Bff_Web>("web-bff", 5100)
    .WaitFor(users)
    .WaitFor(orders)
    .WaitFor(payments);

builder.AddBff<Projects.Bff_Mobile>("mobile-bff", 5200)
    .WaitFor(users)
    .WaitFor(orders)
    .WaitFor(payments);

builder.AddBff<Projects.Bff_Partner>("partner-bff", 5300)
    .WaitFor(orders)
    .WaitFor(payments);

builder.Build().Run();
