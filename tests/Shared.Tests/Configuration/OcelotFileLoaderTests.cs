using Bff.Shared.Configuration;
using Bff.Shared.Forwarding;

namespace Bff.Shared.Tests.Configuration;

internal sealed class OcelotFileLoaderTests
{
    private static string Routes(params string[] templates) =>
        "{ \"Routes\": [" + string.Join(",", templates.Select(t =>
            $$"""{ "UpstreamPathTemplate": "{{t}}", "DownstreamPathTemplate": "{{t}}", "DownstreamHostAndPorts": [ { "Host": "h", "Port": 1 } ] }""")) + "] }";

    [Test]
    public void Folder_SplitForm_ConcatenatesRoutesInFileNameOrder()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.global.json", """{ "GlobalConfiguration": { "BaseUrl": "http://gw" } }""");
        folder.Write("ocelot.b.json", Routes("/b1", "/b2"));
        folder.Write("ocelot.a.json", Routes("/a1"));
        folder.Write("notes.json", Routes("/ignored"));

        var loaded = OcelotFileLoader.Load(folder.Path, "Production");

        Assert.That(loaded.Errors, Is.Empty);
        Assert.That(loaded.File.Routes.Select(r => r.UpstreamPathTemplate), Is.EqualTo(new[] { "/a1", "/b1", "/b2" }));
        Assert.That(loaded.File.GlobalConfiguration.BaseUrl, Is.EqualTo("http://gw"));
        Assert.That(loaded.RouteSources[2], Is.EqualTo(new ItemSource(Path.Combine(folder.Path, "ocelot.b.json"), 1)));
    }

    [Test]
    public void Folder_GlobalConfiguration_IsReadFromGlobalFileOnly()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.global.json", """{ "GlobalConfiguration": { "RequestIdKey": "X-Global" } }""");
        folder.Write("ocelot.a.json", """{ "Routes": [], "GlobalConfiguration": { "RequestIdKey": "X-Area" } }""");

        var loaded = OcelotFileLoader.Load(folder.Path, "Production");

        Assert.That(loaded.File.GlobalConfiguration.RequestIdKey, Is.EqualTo("X-Global"));
        Assert.That(loaded.Warnings, Has.One.Contains("GlobalConfiguration ignored"));
    }

    [Test]
    public void Folder_WithoutGlobalFile_IgnoresGlobalConfigurationOfAreas()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.a.json", """{ "Routes": [], "GlobalConfiguration": { "RequestIdKey": "X-Area" } }""");

        var loaded = OcelotFileLoader.Load(folder.Path, "Production");

        Assert.That(loaded.File.GlobalConfiguration.RequestIdKey, Is.Null);
        Assert.That(loaded.Warnings, Has.One.Contains("GlobalConfiguration ignored"));
    }

    [Test]
    public void Folder_EnvironmentFile_IsOverlaidKeyByKey_NotMergedAsArea()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.global.json", """{ "GlobalConfiguration": { "BaseUrl": "http://gw", "RequestIdKey": "X-Id" } }""");
        folder.Write("ocelot.a.json", Routes("/a1"));
        folder.Write("ocelot.Staging.json", """{ "GlobalConfiguration": { "BaseUrl": "http://staging" }, "Routes": [ { "DownstreamHostAndPorts": [ { "Host": "staging-host" } ] } ] }""");
        folder.Write("ocelot.Production.json", Routes("/never-an-area"));

        var loaded = OcelotFileLoader.Load(folder.Path, "Staging");

        Assert.That(loaded.Errors, Is.Empty);
        Assert.That(loaded.File.Routes.Select(r => r.UpstreamPathTemplate), Is.EqualTo(new[] { "/a1" }));
        Assert.That(loaded.File.Routes[0].DownstreamHostAndPorts[0].Host, Is.EqualTo("staging-host"));
        Assert.That(loaded.File.Routes[0].DownstreamHostAndPorts[0].Port, Is.EqualTo(1), "overlay is key by key");
        Assert.That(loaded.File.GlobalConfiguration.BaseUrl, Is.EqualTo("http://staging"));
        Assert.That(loaded.File.GlobalConfiguration.RequestIdKey, Is.EqualTo("X-Id"));
    }

    [Test]
    public void File_EnvironmentFileBesideIt_IsOverlaid()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ocelot.json", Routes("/a"));
        folder.Write("ocelot.Development.json", """{ "GlobalConfiguration": { "BaseUrl": "http://dev" } }""");

        Assert.That(OcelotFileLoader.Load(file, "Development").File.GlobalConfiguration.BaseUrl, Is.EqualTo("http://dev"));
        Assert.That(OcelotFileLoader.Load(file, "Production").File.GlobalConfiguration.BaseUrl, Is.Null);
    }

    [Test]
    public void Folder_WithOnlyOcelotJson_UsesIt()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.json", Routes("/only"));
        Assert.That(OcelotFileLoader.Load(folder.Path, "Production").File.Routes.Single().UpstreamPathTemplate, Is.EqualTo("/only"));
    }

    [Test]
    public void Missing_PathIsReported()
    {
        var loaded = OcelotFileLoader.Load("/nonexistent/ocelot.json", "Production");
        Assert.That(loaded.Errors.Single().Message, Does.Contain("no such file or folder"));
    }

    [Test]
    public void Errors_NameTheAreaFileAndItsOwnIndex()
    {
        using var folder = new TempFolder();
        folder.Write("ocelot.a.json", Routes("/a1", "/a2"));
        folder.Write("ocelot.b.json", Routes("/b1", "b2-no-slash"));
        using var invokers = new HttpInvokerPool();

        var (_, errors) = GatewayModelBuilder.Build(OcelotFileLoader.Load(folder.Path, "Production"),
            new ModelBuildContext(invokers, _ => null, 1, DateTimeOffset.UnixEpoch));

        Assert.That(errors.Select(e => e.ToString()), Has.Some.StartsWith(
            $"{Path.Combine(folder.Path, "ocelot.b.json")}: Routes[1].UpstreamPathTemplate: UpstreamPathTemplate b2-no-slash doesnt start with forward slash"));
    }
}
