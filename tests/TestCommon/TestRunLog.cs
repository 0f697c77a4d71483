using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>
/// The log output of every in-process host a test run starts (GatewayTestHost, the WebApplicationFactory hosts), and
/// the secrets the run used: API keys, passwords, access and refresh tokens, session cookies — harvested from the
/// requests and answers that passed through those hosts (<see cref="SecretHarvestingStartupFilter"/>) and registered
/// by tests. At the end of the run (<c>LogSecretScan</c> set-up fixtures) no secret may appear in any line.
/// </summary>
public static partial class TestRunLog
{
    /// <summary>Secrets shorter than this are not scanned for (they would match by accident).</summary>
    public const int MinimumSecretLength = 12;

    private static readonly ConcurrentQueue<string> s_lines = new();
    private static readonly ConcurrentDictionary<string, string> s_secrets = new(StringComparer.Ordinal);

    /// <summary>A logger provider that records into the run log (add it to every in-process host).</summary>
    public static ILoggerProvider Provider { get; } = new RunLogProvider();

    public static int LineCount => s_lines.Count;

    public static int SecretCount => s_secrets.Count;

    public static void Record(LogLevel level, string category, string message, Exception? exception) =>
        s_lines.Enqueue(exception is null ? $"{level} {category}: {message}" : $"{level} {category}: {message} {exception}");

    /// <summary>Registers a secret the run used; <paramref name="kind"/> says what it is (for the failure message).</summary>
    public static void Secret(string? value, string kind)
    {
        if (value is null) return;
        value = value.Trim();
        if (value.Length >= MinimumSecretLength) s_secrets.TryAdd(value, kind);
    }

    /// <summary>Registers every secret-looking value in <paramref name="text"/> (a header value, a JSON or form body).</summary>
    public static void Harvest(string? text, string kind)
    {
        if (string.IsNullOrEmpty(text)) return;
        foreach (Match m in JsonSecretField().Matches(text))
        {
            var (name, value) = (m.Groups["name"].Value, Regex.Unescape(m.Groups["value"].Value));
            // "key" is also an ordinary word in JSON (an aggregate part's key, a route key): only API keys count.
            if (name.Contains("key", StringComparison.OrdinalIgnoreCase) && !value.StartsWith(Bff.Shared.ApiKeys.ApiKeyCodec.Prefix, StringComparison.Ordinal)) continue;
            Secret(value, $"{kind} \"{name}\"");
        }
        foreach (Match m in FormSecretField().Matches(text)) Secret(Uri.UnescapeDataString(m.Groups["value"].Value.Replace('+', ' ')), $"{kind} {m.Groups["name"].Value}=");
        foreach (Match m in Jwt().Matches(text)) Secret(m.Value, $"{kind} JWT");
    }

    /// <summary>Every (secret kind, log line) pair where a secret appears in a line of <paramref name="lines"/>.
    /// Linear in the length of the log: every secret is indexed by its first <see cref="MinimumSecretLength"/>
    /// characters, and each line is slid over that window once.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> lines, IReadOnlyDictionary<string, string> secrets)
    {
        var byPrefix = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var secret in secrets.Keys.Where(s => s.Length >= MinimumSecretLength))
        {
            var prefix = secret[..MinimumSecretLength];
            if (!byPrefix.TryGetValue(prefix, out var list)) byPrefix[prefix] = list = [];
            list.Add(secret);
        }
        var lookup = byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = new List<string>();
        foreach (var line in lines)
        {
            for (var i = 0; i + MinimumSecretLength <= line.Length; i++)
            {
                if (!lookup.TryGetValue(line.AsSpan(i, MinimumSecretLength), out var candidates)) continue;
                foreach (var secret in candidates)
                    if (line.AsSpan(i).StartsWith(secret, StringComparison.Ordinal))
                        found.Add($"{secrets[secret]} ({secret[..4]}…) in: {(line.Length > 300 ? line[..300] + "…" : line)}");
            }
        }
        return found;
    }

    /// <summary>Whether <paramref name="secret"/> was registered (harvested or named by a test).</summary>
    public static bool Knows(string secret) => s_secrets.ContainsKey(secret);

    /// <summary>Scans the whole run's log for the whole run's secrets.</summary>
    public static IReadOnlyList<string> Scan() => Find(s_lines, s_secrets);

    // "password": "…", "access_token": "…", "refresh_token": "…", "key": "…" (admin API), "token": "…".
    [GeneratedRegex("\"(?<name>password|newPassword|access_token|refresh_token|id_token|token|key|apiKey|secret)\"\\s*:\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecretField();

    [GeneratedRegex("(?:^|&)(?<name>password|refresh_token|token|api_key|apikey)=(?<value>[^&]*)", RegexOptions.IgnoreCase)]
    private static partial Regex FormSecretField();

    [GeneratedRegex("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]+")]
    private static partial Regex Jwt();

    private sealed class RunLogProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RunLogger(categoryName);

        public void Dispose() { }
    }

    private sealed class RunLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Record(logLevel, category, formatter(state, exception), exception);
    }
}
