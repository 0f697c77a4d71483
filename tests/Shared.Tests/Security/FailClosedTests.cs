using Bff.Shared.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Shared.Tests.Security;

/// <summary>#17 item 7: the route pipeline fails closed — before MapBffGateway built it, a route answers 503
/// problem+json; it never falls back to forwarding without the security steps.</summary>
internal sealed class FailClosedTests
{
    [Test]
    public async Task RoutePipeline_NotBuilt_Answers503_AndForwardsNothing()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        await new RoutePipeline().Invoke(context);

        Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
        Assert.That(context.Response.ContentType, Does.StartWith("application/problem+json"));
    }
}
