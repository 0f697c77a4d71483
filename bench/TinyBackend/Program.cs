// The benchmark's backend: the cheapest answer Kestrel can give, so that what is measured in front of it is the
// proxy. GET /body/small (~200 B JSON), /body/large (~8 KB JSON); /delay/{size} answers the same after 20 ms
// (the aggregate target). Anything else: 404.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();

var small = JsonBody(200);
var large = JsonBody(8 * 1024);
var delay = TimeSpan.FromMilliseconds(app.Configuration.GetValue("DelayMs", 20));

app.MapGet("/body/{size}", (HttpContext context, string size) => Write(context, size));
app.MapGet("/delay/{size}", async (HttpContext context, string size) =>
{
    await Task.Delay(delay, context.RequestAborted);
    await Write(context, size);
});

app.Run();

Task Write(HttpContext context, string size)
{
    var body = size switch { "small" => small, "large" => large, _ => null };
    if (body is null)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
}

// {"data":"xxxx…"} of exactly `length` bytes.
static byte[] JsonBody(int length)
{
    const string head = "{\"data\":\"", tail = "\"}";
    return System.Text.Encoding.ASCII.GetBytes(head + new string('x', length - head.Length - tail.Length) + tail);
}
