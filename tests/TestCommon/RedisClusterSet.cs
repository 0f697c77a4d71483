using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Bff.Testing;

/// <summary>
/// A Redis Cluster of three masters (real <c>redis-server</c>s with <c>cluster-enabled yes</c>, joined by
/// <c>redis-cli --cluster create</c>) on 127.0.0.1, append-only files on so a restarted node keeps its data;
/// stopped on dispose.
/// </summary>
public sealed class RedisClusterSet : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Dictionary<int, Process> _nodes = [];

    private RedisClusterSet() { }

    public IReadOnlyList<int> Ports => [.. _nodes.Keys];

    /// <summary>What the gateway is given: the nodes (StackExchange.Redis discovers the slots and follows moves).</summary>
    public string ConnectionString => string.Join(',', _nodes.Keys.Select(p => $"127.0.0.1:{p}"));

    public static async Task<RedisClusterSet> StartAsync()
    {
        if (!RedisServer.IsInstalled) NUnit.Framework.Assert.Fail("redis-server is not installed (apt-get install redis-server; .ci/run installs it)");
        var set = new RedisClusterSet();
        try
        {
            foreach (var _ in Enumerable.Range(0, 3))
            {
                var port = FreePort.Dead();
                set._nodes[port] = set.Launch(port);
                await RedisServerPort.WaitAsync(port);
            }
            await Run("redis-cli", ["--cluster", "create", .. set._nodes.Keys.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
            await set.WaitUntilOkAsync();
            return set;
        }
        catch
        {
            await set.DisposeAsync(); // no orphaned servers when the set cannot start
            throw;
        }
    }

    /// <summary>The port of the master that serves <paramref name="key"/>'s slot.</summary>
    public async Task<int> NodeOfAsync(RedisKey key)
    {
        using var mux = await ConnectAsync();
        var endpoint = mux.GetDatabase().IdentifyEndpoint(key);
        return ((System.Net.IPEndPoint)endpoint!).Port;
    }

    /// <summary>The slot of a key (<c>CLUSTER KEYSLOT</c>).</summary>
    public async Task<long> SlotOfAsync(string key)
    {
        using var mux = await ConnectAsync();
        return (long)await mux.GetServer("127.0.0.1", Ports[0]).ExecuteAsync("CLUSTER", "KEYSLOT", key);
    }

    /// <summary>Every key on every node that matches <paramref name="pattern"/>.</summary>
    public async Task<List<string>> KeysAsync(string pattern)
    {
        using var mux = await ConnectAsync();
        var keys = new List<string>();
        foreach (var port in Ports)
            await foreach (var key in mux.GetServer("127.0.0.1", port).KeysAsync(pattern: pattern)) keys.Add(key.ToString());
        return keys;
    }

    /// <summary>Stops a node (SIGTERM: it writes its append-only file) and starts it again on the same port and files.</summary>
    public async Task RestartAsync(int port, TimeSpan down)
    {
        var process = _nodes[port];
        await Run("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await process.WaitForExitAsync();
        process.Dispose();
        await Task.Delay(down);
        _nodes[port] = Launch(port);
        await RedisServerPort.WaitAsync(port);
        await WaitUntilOkAsync();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true,abortConnect=false");

    private async Task WaitUntilOkAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in Ports)
        {
            while (true)
            {
                var info = await Run("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info"], check: false);
                if (info.Contains("cluster_state:ok", StringComparison.Ordinal)) break;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"the cluster is not ok: {info}");
                await Task.Delay(100);
            }
        }
    }

    private Process Launch(int port)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder.Path };
        foreach (var arg in new[] { "--port", p, "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{p}.conf",
                     "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no", "--save", "", "--appendonly", "yes",
                     "--appendfilename", $"appendonly-{p}.aof", "--appenddirname", $"aof-{p}", "--dir", _folder.Path })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<string> Run(string file, IEnumerable<string> args, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await output}{await error}");
        return await output + await error;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _nodes.Values)
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _folder.Dispose();
    }
}
