using System.Globalization;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Counts over a run's deliveries: accepted, how many needed retries, every status seen.</summary>
public sealed record DeliverySummary(int Sent, int Accepted, int AcceptedFirstTry, int Retried, int Failed, IReadOnlyDictionary<string, int> TryOutcomes)
{
    public static DeliverySummary Of(IReadOnlyCollection<Delivery> deliveries) => new(
        deliveries.Count,
        deliveries.Count(d => d.Accepted),
        deliveries.Count(d => d.Accepted && d.Attempts == 1),
        deliveries.Count(d => d.Attempts > 1),
        deliveries.Count(d => !d.Accepted),
        deliveries.SelectMany(d => d.Trail).GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent}, accepted {Accepted} (first try {AcceptedFirstTry}), retried {Retried}, failed {Failed}; tries: {string.Join(", ", TryOutcomes.Select(t => $"{t.Key}×{t.Value}"))}");
}
