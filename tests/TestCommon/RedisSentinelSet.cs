using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Bff.Testing;

/// <summary>
/// Redis with Sentinel on 127.0.0.1: one master and two replicas (real <c>redis-server</c>s) watched by three real
/// <c>redis-sentinel</c>s (quorum 2, a master is down after 1 s, a failed election retried after 6 s), service name <c>mymaster</c>; stopped on dispose.
/// </summary>
public sealed class RedisSentinelSet : IAsyncDisposable
{
    public const string ServiceName = "mymaster";

    private readonly TempFolder _folder = new();
    private readonly Dictionary<int, Process> _servers = [];
    private readonly List<Process> _sentinels = [];
    private readonly List<int> _sentinelPorts = [];

    private RedisSentinelSet() { }

    /// <summary>What the gateway is given: the sentinels and the service name (StackExchange.Redis follows the master).</summary>
    public string ConnectionString =>
        string.Join(',', _sentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName}";

    public IReadOnlyList<int> ServerPorts => [.. _servers.Keys];

    public static async Task<RedisSentinelSet> StartAsync()
    {
        if (!RedisServer.IsInstalled || !File.Exists("/usr/bin/redis-sentinel"))
            NUnit.Framework.Assert.Fail("redis-server and redis-sentinel are not installed (apt-get install redis-server redis-sentinel; .ci/run installs them)");
        var set = new RedisSentinelSet();
        try
        {
            var master = FreePort.Dead();
            set.StartServer(master, null);
            await RedisServerPort.WaitAsync(master);
            foreach (var _ in Enumerable.Range(0, 2))
            {
                var replica = FreePort.Dead();
                set.StartServer(replica, master);
                await RedisServerPort.WaitAsync(replica);
            }
            foreach (var i in Enumerable.Range(0, 3))
            {
                var port = FreePort.Dead();
                var config = Path.Combine(set._folder.Path, $"sentinel-{i}.conf");
                await File.WriteAllTextAsync(config, string.Join('\n',
                    $"port {port}", "bind 127.0.0.1", $"dir {set._folder.Path}",
                    $"sentinel monitor {ServiceName} 127.0.0.1 {master} 2",
                    $"sentinel down-after-milliseconds {ServiceName} 1000",
                    $"sentinel failover-timeout {ServiceName} 3000",
                    $"sentinel parallel-syncs {ServiceName} 2", ""));
                set._sentinels.Add(Launch("redis-sentinel", [config]));
                set._sentinelPorts.Add(port);
                await RedisServerPort.WaitAsync(port);
            }
            await set.WaitUntilReplicasSyncedAsync(master);
            await set.WaitUntilSentinelsKnowEachOtherAsync();
            return set;
        }
        catch
        {
            await set.DisposeAsync(); // no orphaned servers when the set cannot start
            throw;
        }
    }

    /// <summary>The master's port as the sentinels see it now.</summary>
    public async Task<int> MasterPortAsync()
    {
        using var sentinel = await SentinelAsync();
        var address = await sentinel.GetServer("127.0.0.1", _sentinelPorts[0]).SentinelGetMasterAddressByNameAsync(ServiceName);
        return ((IPEndPoint)address!).Port;
    }

    /// <summary>A graceful failover (<c>SENTINEL FAILOVER</c>); returns the old master's port.</summary>
    public async Task<int> FailoverAsync()
    {
        var old = await MasterPortAsync();
        using var sentinel = await SentinelAsync();
        await sentinel.GetServer("127.0.0.1", _sentinelPorts[0]).SentinelFailoverAsync(ServiceName);
        return old;
    }

    /// <summary><c>kill -9</c> of the master: the sentinels must notice it and promote a replica. Returns the old master's port.</summary>
    public async Task<int> KillMasterAsync()
    {
        var old = await MasterPortAsync();
        _servers[old].Kill();
        await _servers[old].WaitForExitAsync();
        return old;
    }

    /// <summary>Waits until the sentinels name a master other than <paramref name="old"/>.</summary>
    public async Task<int> WaitForNewMasterAsync(int old, TimeSpan timeout)
    {
        using var sentinel = await SentinelAsync();
        var server = sentinel.GetServer("127.0.0.1", _sentinelPorts[0]);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await server.SentinelGetMasterAddressByNameAsync(ServiceName) is IPEndPoint { Port: var now } && now != old) return now;
            }
            catch (RedisException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("the sentinels promoted no replica");
    }

    private async Task<ConnectionMultiplexer> SentinelAsync() =>
        await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", _sentinelPorts[0] } }, CommandMap = CommandMap.Sentinel, AbortOnConnectFail = false, ConnectTimeout = 1000, AllowAdmin = true,
        });

    private async Task WaitUntilReplicasSyncedAsync(int master)
    {
        using var direct = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{master},abortConnect=false,allowAdmin=true");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var info = (await direct.GetServer("127.0.0.1", master).InfoRawAsync("replication")) ?? "";
            if (info.Split('\n').Count(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains("state=online", StringComparison.Ordinal)) == 2) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the replicas did not sync with the master");
    }

    /// <summary>A failover needs a quorum of sentinels that found each other (through the master's hello channel)
    /// and both replicas.</summary>
    private async Task WaitUntilSentinelsKnowEachOtherAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var port in _sentinelPorts)
        {
            using var sentinel = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
            {
                EndPoints = { { "127.0.0.1", port } }, CommandMap = CommandMap.Sentinel, AbortOnConnectFail = false, AllowAdmin = true,
            });
            var server = sentinel.GetServer("127.0.0.1", port);
            while ((await server.SentinelSentinelsAsync(ServiceName)).Length < 2 || (await server.SentinelReplicasAsync(ServiceName)).Length < 2)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the sentinels did not find each other and the replicas");
                await Task.Delay(100);
            }
        }
    }

    private void StartServer(int port, int? replicaOf)
    {
        var args = new List<string> { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", _folder.Path, "--dbfilename", $"dump-{port}.rdb" };
        if (replicaOf is { } master) args.AddRange(["--replicaof", "127.0.0.1", master.ToString(CultureInfo.InvariantCulture)]);
        _servers[port] = Launch("redis-server", args);
    }

    private static Process Launch(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _sentinels.Concat(_servers.Values))
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _folder.Dispose();
    }
}
