using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The canonical content of a record and its chain hash: SHA-256 (lowercase hex) over a JSON array of every field
/// in a fixed order, the predecessor's hash last. Times are UTC with microseconds, what Postgres keeps.
/// </summary>
public static class AuditHasher
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(record.Id);
            writer.WriteStringValue(FormatTime(record.OccurredAt));
            writer.WriteStringValue(record.Actor);
            writer.WriteStringValue(record.Role);
            writer.WriteStringValue(record.Action);
            writer.WriteStringValue(record.Target);
            writer.WriteStringValue(record.ConversationId);
            writer.WriteStringValue(record.SourceIp);
            writer.WriteStringValue(record.TraceId);
            writer.WriteStringValue(record.Details);
            writer.WriteStringValue(record.PrevHash);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Details as canonical JSON: keys in ordinal order, no whitespace.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string?>? details)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in (details ?? new Dictionary<string, string?>()).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>The time truncated to what a <c>timestamptz</c> holds (microseconds), in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    private static string FormatTime(DateTimeOffset time) =>
        Truncate(time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
