using Bffs.Backends;

// One app, three demo services: --Service=users|orders|payments|all (default all).
var builder = WebApplication.CreateBuilder(args);
var service = BackendServiceConfiguration.Read(builder.Configuration);
builder.WebHost.UseDefaultUrl(builder.Configuration, service);
builder.AddDemoTelemetry();

builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DemoStore>();
builder.Services.Configure<FaultOptions>(builder.Configuration.GetSection("Faults"));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<FaultMiddleware>();

app.MapGet("/health", () => "ok");
app.MapEchoApi(service);
if (service.HasFlag(BackendService.Users))
{
    app.MapUsersApi();
}

if (service.HasFlag(BackendService.Orders))
{
    app.MapOrdersApi();
}

if (service.HasFlag(BackendService.Payments))
{
    app.MapPaymentsApi();
}

app.Run();
