// The benchmark's anchor: YARP as its documentation shows it, routes and clusters from configuration.
// bench/run.sh points the cluster at the tiny backend with --ReverseProxy:Clusters:backend:Destinations:d1:Address=….
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
app.Run();
