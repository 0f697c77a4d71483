using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bff.Testing;

/// <summary>Collects every log line of a host under test (level, category, formatted message); every line also goes
/// to the whole run's <see cref="TestRunLog"/>.</summary>
public sealed class InMemoryLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyCollection<LogLine> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(InMemoryLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            sink._lines.Enqueue(new LogLine(logLevel, category, message, exception));
            TestRunLog.Record(logLevel, category, message, exception);
        }
    }
}

public sealed record LogLine(LogLevel Level, string Category, string Message, Exception? Exception);
