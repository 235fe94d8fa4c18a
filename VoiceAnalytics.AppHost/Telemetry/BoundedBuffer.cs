namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// A fixed-capacity ring: adding to a full buffer overwrites the oldest item, so memory stays at
/// <see cref="Capacity"/> items however long the AppHost runs. Not thread-safe; the store locks around it.
/// </summary>
public sealed class BoundedBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private int _next;

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    /// <summary>Items overwritten since start: what the bound has cost.</summary>
    public long Dropped { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Dropped++;
        }
        else
        {
            Count++;
        }
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
    }

    /// <summary>The items, oldest first.</summary>
    public IEnumerable<T> OldestFirst()
    {
        var start = Count == _items.Length ? _next : 0;
        for (var i = 0; i < Count; i++)
        {
            yield return _items[(start + i) % _items.Length];
        }
    }

    /// <summary>The items, newest first.</summary>
    public IEnumerable<T> NewestFirst()
    {
        for (var i = 1; i <= Count; i++)
        {
            yield return _items[((_next - i) % _items.Length + _items.Length) % _items.Length];
        }
    }
}
