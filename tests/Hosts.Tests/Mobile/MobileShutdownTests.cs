using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Bff.Hosts.Tests.Common;
using Bff.Testing;
using Microsoft.AspNetCore.Http;

namespace Bff.Hosts.Tests.Mobile;

/// <summary>SIGTERM against the real Bff.Mobile process: readiness drops first, in-flight streams and POSTs finish
/// (each POST reaches the backend exactly once), then the host stops accepting and exits 0.</summary>
internal sealed partial class MobileShutdownTests
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigTerm = 15;

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    [Test, CancelAfter(60_000)]
    public async Task SigTerm_DrainsThenFinishesInFlightRequests_AndExitsZero()
    {
        var posts = 0;
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            if (context.Request.Method == "POST") Interlocked.Increment(ref posts);
            // A streamed answer: ten chunks over ~1.5 s.
            for (var i = 0; i < 10; i++)
            {
                await context.Response.WriteAsync($"chunk{i};");
                await context.Response.Body.FlushAsync();
                await Task.Delay(150);
            }
        });
        using var folder = new TempFolder();
        folder.Write("ocelot.json", $$"""
            { "Routes": [ { "UpstreamPathTemplate": "/{all}", "DownstreamPathTemplate": "/{all}", "UpstreamHttpMethod": [ "Get", "Post" ],
              "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": {{backend.Port}} } ] } ] }
            """);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[]
                 {
                     RepoPaths.HostDll("Bff.Mobile"), "--urls=http://127.0.0.1:0", $"--Gateway:ConfigPath={Path.Combine(folder.Path, "ocelot.json")}",
                     "--Gateway:DrainDelay=00:00:01", "--Gateway:ShutdownTimeout=00:00:10",
                     $"--ConnectionStrings:KeyStore=Data Source={Path.Combine(folder.Path, "keys.db")}", $"--ApiKeys:Pepper={GatewayTestHost.TestPepper}",
                 })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        using var process = Process.Start(start)!;
        try
        {
            var port = 0;
            while (port == 0)
            {
                var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
                if (Listening().Match(line) is { Success: true } m) port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            var output = process.StandardOutput.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            var streams = Enumerable.Range(0, 8).Select(_ => client.GetStringAsync("/stream")).ToArray();
            var postTasks = Enumerable.Range(0, 8).Select(_ => client.PostAsync("/orders", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).ToArray();
            await Task.Delay(300); // all are in flight
            Assert.That(Kill(process.Id, SigTerm), Is.Zero);
            await Task.Delay(300);

            // Draining: still serving, but no longer ready.
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

            var whole = string.Concat(Enumerable.Range(0, 10).Select(i => $"chunk{i};"));
            Assert.That(await Task.WhenAll(streams), Is.All.EqualTo(whole));
            foreach (var posted in await Task.WhenAll(postTasks))
            {
                Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(await posted.Content.ReadAsStringAsync(), Is.EqualTo(whole));
            }

            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.Zero, await output);
            Assert.That(Volatile.Read(ref posts), Is.EqualTo(8), "each accepted POST reached the backend exactly once");
            Assert.ThrowsAsync<HttpRequestException>(() => new HttpClient().GetAsync($"http://127.0.0.1:{port}/health/live"), "the host no longer accepts");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
