using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.CrmService.Data;

/// <summary>
/// Reads what a lead is made of from the tables other services own: <c>analysis.analyses</c> (the verdict) and
/// <c>ingest.webhook_events</c> (agent, conversation and the trace the webhook started). The verdict's name,
/// phone and email are stored encrypted; the lead carries them decrypted, because the CRM needs them.
/// </summary>
public sealed class LeadStore(NpgsqlDataSource dataSource, PiiProtector protector)
{
    /// <summary>
    /// The lead of one analysis, the traceparent its webhook stored, and whether a re-analysis of the same event
    /// has superseded it (its own export job will send the newer verdict). Null when the analysis is gone.
    /// </summary>
    public async Task<(Lead Lead, string? TraceParent, bool Superseded)?> LoadAsync(long analysisId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.event_id, a.result::text, e.agent_id, e.conversation_id, e.trace_parent,
                   EXISTS (SELECT FROM analysis.analyses n WHERE n.event_id = a.event_id AND n.id > a.id), a.version
            FROM analysis.analyses a
            JOIN ingest.webhook_events e ON e.id = a.event_id
            WHERE a.id = @analysis_id
            """);
        command.Parameters.AddWithValue("analysis_id", analysisId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var decrypted = protector.UnprotectStrings(JsonNode.Parse(reader.IsDBNull(2) ? "{}" : reader.GetString(2)))!.ToJsonString();
        using var result = JsonDocument.Parse(decrypted);
        var lead = new Lead(
            ConversationId: reader.GetString(4),
            AgentId: reader.IsDBNull(3) ? null : reader.GetString(3),
            EventId: reader.GetInt64(1),
            AnalysisId: reader.GetInt64(0),
            Result: result.RootElement.Clone(),
            AnalysisVersion: reader.GetInt32(7));
        return (lead, reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6));
    }
}
