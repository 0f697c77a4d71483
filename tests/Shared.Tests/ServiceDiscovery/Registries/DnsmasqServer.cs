using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bff.Shared.Tests.ServiceDiscovery.Registries;

/// <summary>
/// A real DNS server: Debian's dnsmasq on 127.0.0.1 and a free port, answering only from its own configuration
/// (<c>no-resolv</c>, <c>no-hosts</c>), every query logged to a file. Service <c>orders</c> is
/// <c>_http._tcp.orders.default.svc.cluster.local</c> SRV records (a Kubernetes headless service), each target an A
/// record on 127.0.0.1. dnsmasq reads SRV records only at start, so a change restarts it on the same port.
/// </summary>
internal sealed class DnsmasqServer : ITestRegistry
{
    private readonly TempFolder _folder = new();
    private readonly int _ttl;
    private string _records = "";
    private Process? _process;

    private DnsmasqServer(int port, int ttl) => (Port, _ttl) = (port, ttl);

    public int Port { get; }

    public string Provider => $$"""{ "Type": "Dns", "Host": "127.0.0.1", "Port": {{Port}} }""";

    public string LogPath => Path.Combine(_folder.Path, "queries.log");

    public static bool IsInstalled => File.Exists("/usr/sbin/dnsmasq");

    public static async Task<DnsmasqServer> StartAsync(int ttl = 1)
    {
        if (!IsInstalled) Assert.Fail("dnsmasq is not installed (apt-get install dnsmasq-base; .ci/run installs it)");
        var server = new DnsmasqServer(FreePort.Dead(), ttl);
        await server.RestartAsync();
        return server;
    }

    public Task SetAsync(params EchoBackend[] instances)
    {
        var records = new StringBuilder();
        for (var i = 0; i < instances.Length; i++)
        {
            records.AppendLine(CultureInfo.InvariantCulture, $"srv-host=_http._tcp.orders.default.svc.cluster.local,orders-{i}.test,{instances[i].Port},0,10");
            records.AppendLine(CultureInfo.InvariantCulture, $"host-record=orders-{i}.test,127.0.0.1");
        }
        return SetRecordsAsync(records.ToString());
    }

    /// <summary>Any dnsmasq records (srv-host=, host-record=, …) instead of the service's.</summary>
    public Task SetRecordsAsync(string records)
    {
        _records = records;
        return RestartAsync();
    }

    public Task GoDownAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public Task ComeBackAsync() => RestartAsync();

    /// <summary>How many queries of this type dnsmasq has answered so far.</summary>
    public int Queries(string type) => Lines($"query[{type}]");

    private int Lines(string containing)
    {
        if (!File.Exists(LogPath)) return 0;
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Count(l => l.Contains(containing, StringComparison.Ordinal));
    }

    private async Task RestartAsync()
    {
        Stop();
        var starts = Lines("started, version");
        var config = Path.Combine(_folder.Path, "dnsmasq.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"port={Port}", "listen-address=127.0.0.1", "bind-interfaces", "no-resolv", "no-hosts", "no-poll",
            $"local-ttl={_ttl}", "log-queries", $"log-facility={LogPath}", "pid-file=", $"user={Environment.UserName}", _records));
        var start = new ProcessStartInfo("/usr/sbin/dnsmasq") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--keep-in-foreground");
        start.ArgumentList.Add($"--conf-file={config}");
        _process = Process.Start(start)!;
        _ = _process.StandardOutput.ReadToEndAsync();
        var errors = _process.StandardError.ReadToEndAsync();
        // dnsmasq logs "started" once its sockets are bound.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_process.HasExited && DateTime.UtcNow < deadline)
        {
            if (Lines("started, version") > starts) return;
            await Task.Delay(50);
        }
        Assert.Fail($"dnsmasq did not start: {(_process.HasExited ? await errors : "no answer within 10 s")}");
    }

    private void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
