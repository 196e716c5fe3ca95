using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flock.AkashClient.Tests;

/// <summary>One captured log line: the rendered message plus every structured value, as a log pipeline would ship them.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, string StructuredValues, string? Exception);

/// <summary>Captures everything the client logs, at every level, for assertions and the secret scan.</summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public ILogger<T> For<T>() => new CapturingLogger<T>(this);

    /// <summary>Waits (bounded) until an entry with this event name has been logged; used to sequence tests, not to measure time.</summary>
    public async Task<LogEntry> WaitForAsync(string eventName, int count = 1)
    {
        for (var i = 0; i < 2000; i++)
        {
            var found = _entries.Where(e => e.EventId.Name == eventName).ToList();
            if (found.Count >= count)
            {
                return found[count - 1];
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No {eventName} log entry appeared.");
    }

    internal void Add(LogEntry entry) => _entries.Enqueue(entry);

    private sealed class CapturingLogger<T>(LogSink sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            sink.Add(new LogEntry(typeof(T).Name, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
