using System.Text;
using System.Text.Json;

namespace VoiceAnalytics.Bench.Gateway;

/// <summary>A realistic ~5 KB post_call_transcription: a few transcript turns, metadata, analysis.</summary>
public static class BenchBody
{
    public static byte[] Create(string conversationId, int targetBytes)
    {
        var turns = new List<object>();
        var size = 0;
        for (var i = 0; size < targetBytes - 600; i++)
        {
            var message = i % 2 == 0
                ? "Hello, this is the support line of Example Ltd. How can I help you with your order today?"
                : "I ordered a washing machine last week and the delivery date moved twice, can you check it please?";
            turns.Add(new { role = i % 2 == 0 ? "agent" : "user", message, time_in_call_secs = i * 7, tool_calls = Array.Empty<object>(), interrupted = false });
            size += message.Length + 110;
        }
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "post_call_transcription",
            event_timestamp = 1767607331,
            data = new
            {
                agent_id = "agent_7101k5zvyjhmfg983brhmhkd98n6",
                conversation_id = conversationId,
                status = "done",
                transcript = turns,
                metadata = new { start_time_unix_secs = 1767607261, call_duration_secs = 64, cost = 512 },
                analysis = new { call_successful = "success", transcript_summary = "The caller asked about a delayed delivery." },
            },
        });
    }

    /// <summary>A pgbench script inserting the same body (as a literal) under a fresh conversation id each time.</summary>
    public static string PgbenchScript(byte[] body) =>
        "INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at) " +
        "VALUES ('pgbench', 1767607331, 'agent_7101k5zvyjhmfg983brhmhkd98n6', gen_random_uuid()::text, '" +
        Encoding.UTF8.GetString(body).Replace("'", "''", StringComparison.Ordinal) + "'::jsonb, NULL, now());\n";
}
