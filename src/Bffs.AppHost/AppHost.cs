using Bffs.AppHost;

// Starts the demo backends and the three BFFs. The route files name services (ServiceName), not ports: each BFF gets
// the backends' endpoints by WithReference (services__users__http__0 …), which its service discovery resolves.
// Endpoints are not proxied; clients use 5100/5200/5300.
var builder = DistributedApplication.CreateBuilder(args);

var users = builder.AddBackend("users", 6001);
var orders = builder.AddBackend("orders", 6002);
var payments = builder.AddBackend("payments", 6003);

// http://localhost:5100 is also the web frontend demo; in Development Bff.Web creates its demo user (ada).
builder.AddBff<Projects.Bff_Web>("web-bff", 5100)
    .WithReference(users).WithReference(orders).WithReference(payments)
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
