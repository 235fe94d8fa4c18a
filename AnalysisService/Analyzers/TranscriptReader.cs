using System.Text.Json;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>
/// Reads the parts of an ElevenLabs <c>post_call_transcription</c> payload the analyzers use. Fields come and
/// go between ElevenLabs versions, so every one of them is optional except the conversation id.
/// </summary>
public static class TranscriptReader
{
    /// <exception cref="FormatException">The payload has no <c>data.conversation_id</c>.</exception>
    public static ConversationTranscript Read(JsonElement payload)
    {
        var data = payload.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : payload;
        var conversationId = String(data, "conversation_id")
            ?? throw new FormatException("The event has no data.conversation_id.");

        var turns = new List<TranscriptTurn>();
        if (data.TryGetProperty("transcript", out var transcript) && transcript.ValueKind == JsonValueKind.Array)
        {
            foreach (var turn in transcript.EnumerateArray())
            {
                var message = String(turn, "message");
                // Tool-only turns (no spoken text) are noise for the analysis.
                if (string.IsNullOrWhiteSpace(message))
                {
                    continue;
                }
                var role = String(turn, "role") is "user" ? TurnRole.User : TurnRole.Agent;
                turns.Add(new TranscriptTurn(role, message.Trim(), Int(turn, "time_in_call_secs"),
                    turn.TryGetProperty("interrupted", out var i) && i.ValueKind == JsonValueKind.True));
            }
        }

        var metadata = Object(data, "metadata");
        var analysis = Object(data, "analysis");
        var phoneCall = metadata is { } m ? Object(m, "phone_call") : null;
        var dynamicVariables = Object(data, "conversation_initiation_client_data") is { } init ? Object(init, "dynamic_variables") : null;
        var inbound = phoneCall is not { } pc || String(pc, "direction") is not "outbound";

        return new ConversationTranscript(
            conversationId,
            turns,
            Language: metadata is { } md ? String(md, "main_language") : null,
            CallSuccessful: analysis is { } a ? String(a, "call_successful") : null,
            ElevenLabsSummary: analysis is { } s ? String(s, "transcript_summary") : null,
            // The client's number is the external one on phone calls, whichever way the call went.
            CallerNumber: (phoneCall is { } p ? String(p, "external_number") : null)
                ?? (inbound && dynamicVariables is { } dv ? String(dv, "system__caller_id") : null),
            AgentNumber: phoneCall is { } an ? String(an, "agent_number") : null,
            DurationSeconds: metadata is { } dm ? Int(dm, "call_duration_secs") : null,
            TerminationReason: metadata is { } tm ? String(tm, "termination_reason") : null);
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : null;

    private static int? Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
