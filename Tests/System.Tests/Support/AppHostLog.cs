using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// The AppHost's own last log lines (Aspire, DCP, the AppHost's event handlers; not the resources' consoles, which
/// <see cref="ConsoleLogs"/> keeps), for the message of a start that fails or hangs. Only the last
/// <see cref="Capacity"/> lines are kept, so a long stress run costs no memory.
/// </summary>
public sealed class AppHostLog : ILoggerProvider
{
    public const int Capacity = 60;

    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public string Tail(int count = 25) => string.Join('\n', _lines.TakeLast(count).Select(l => "  " + l));

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Capacity && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Recorder(AppHostLog log, string category) : ILogger
    {
        // Resource console lines reach the AppHost's logging under "<app>.Resources.<name>".
        private readonly bool _isResourceConsole = category.Contains(".Resources.", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && !_isResourceConsole;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var time = DateTime.UtcNow.ToString("HH:mm:ss.f", CultureInfo.InvariantCulture);
            var error = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            log.Add($"{time} {logLevel} {category}: {formatter(state, exception)}{error}");
        }
    }
}
