using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The canonical content of a record and its chain hash (lowercase hex) over a JSON array of every field in a fixed
/// order, the predecessor's hash last. Times are UTC with microseconds, what Postgres keeps. Records are hashed with
/// HMAC-SHA256 under the chain key; records written before the chain was keyed keep their plain SHA-256.
/// </summary>
public static class AuditHasher
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The keyed hash of a record: HMAC-SHA256 under the chain key.</summary>
    public static string Hash(AuditRecord record, AuditChainKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Canonical(record)));
    }

    /// <summary>The unkeyed hash of a record written before the chain was keyed (verification of old records only).</summary>
    public static string LegacyHash(AuditRecord record) => Convert.ToHexStringLower(SHA256.HashData(Canonical(record)));

    /// <summary>The signature of a checkpoint: HMAC-SHA256 under the chain key over its fields.</summary>
    public static string Mac(AuditCheckpoint checkpoint, AuditChainKey key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(key);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue("checkpoint");
            writer.WriteStringValue(checkpoint.ChainId);
            writer.WriteStringValue(FormatTime(checkpoint.CreatedAt));
            writer.WriteNumberValue(checkpoint.LastId);
            writer.WriteStringValue(checkpoint.LastHash);
            writer.WriteStringValue(checkpoint.LastAt is { } at ? FormatTime(at) : null);
            writer.WriteNumberValue(checkpoint.AnchorId);
            writer.WriteNumberValue(checkpoint.LegacyLastId);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static byte[] Canonical(AuditRecord record)
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
        return buffer.ToArray();
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
