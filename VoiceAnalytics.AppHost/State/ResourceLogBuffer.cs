namespace VoiceAnalytics.AppHost.State;

/// <summary>
/// A resource's console output (stdout and stderr, plus the AppHost's own notes about it), bounded: once full,
/// the oldest lines go, so a long run keeps a fixed amount of memory.
/// </summary>
public sealed class ResourceLogBuffer(int capacity)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();
    private long _sequence;

    /// <summary>Raised after each line is stored (live tail); handlers must be quick and must not throw.</summary>
    public event Action<LogLine>? LineAdded;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public LogLine Add(string text, bool isError)
    {
        LogLine line;
        lock (_lock)
        {
            line = new LogLine(++_sequence, DateTimeOffset.UtcNow, isError, text);
            _lines.Enqueue(line);
            while (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }
        LineAdded?.Invoke(line);
        return line;
    }

    /// <summary>The stored lines after <paramref name="afterSequence"/> (0: all), oldest first.</summary>
    public IReadOnlyList<LogLine> GetLines(long afterSequence = 0)
    {
        lock (_lock)
        {
            return [.. _lines.Where(l => l.Sequence > afterSequence)];
        }
    }
}
