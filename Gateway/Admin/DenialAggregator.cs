using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// Keeps a flood of identical denials (the same key calling the same method and path it may not) from flooding
/// the audit trail, which is kept for years: the first denial is recorded, the repeats within the aggregation
/// window are counted, and the next record after the window carries how many were folded into it.
/// </summary>
public sealed class DenialAggregator(IOptions<AdminOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Aggregate> _recent = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether this denial gets an audit record now; if so, <paramref name="folded"/> is how many identical ones
    /// since the previous record were not recorded.
    /// </summary>
    public bool ShouldRecord(string keyId, string method, string path, out long folded)
    {
        var now = time.GetUtcNow();
        var window = options.Value.DenialAggregationWindow;
        var aggregate = _recent.GetOrAdd($"{keyId}\n{method}\n{path}", _ => new Aggregate());
        lock (aggregate)
        {
            if (aggregate.RecordedAt is { } last && now - last < window)
            {
                aggregate.Folded++;
                folded = 0;
                return false;
            }
            folded = aggregate.Folded;
            aggregate.Folded = 0;
            aggregate.RecordedAt = now;
        }
        if (_recent.Count > 10_000)
        {
            foreach (var (key, stale) in _recent)
            {
                lock (stale)
                {
                    if (stale.RecordedAt is { } at && now - at >= window && stale.Folded == 0)
                    {
                        _recent.TryRemove(new KeyValuePair<string, Aggregate>(key, stale));
                    }
                }
            }
        }
        return true;
    }

    private sealed class Aggregate
    {
        public DateTimeOffset? RecordedAt { get; set; }

        public long Folded { get; set; }
    }
}
