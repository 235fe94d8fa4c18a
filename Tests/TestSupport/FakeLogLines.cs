using Microsoft.Extensions.Logging.Testing;

namespace VoiceAnalytics.TestSupport;

/// <summary>Log records from <see cref="FakeLogCollector"/> as text a test can search for data that must not be there.</summary>
public static class FakeLogLines
{
    /// <summary>One line per record: level, category, message, every structured value and the exception.</summary>
    public static IReadOnlyList<string> Lines(this FakeLogCollector logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        return [.. logs.GetSnapshot().Select(Line)];
    }

    public static string Line(this FakeLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var structured = string.Join(" ", (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"));
        return $"{record.Level} {record.Category}: {record.Message} | {structured} | {record.Exception}";
    }
}
