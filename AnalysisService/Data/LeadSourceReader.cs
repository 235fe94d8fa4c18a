using System.Text.Json.Nodes;
using Npgsql;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// What the CRM export of an analysis is made of, so that the CRM reads no table of ours. The verdict comes from
/// <c>analysis.analyses</c>; the agent and traceparent from the analysis' own webhook event in
/// <c>ingest.webhook_events</c>, the row this service already reads for the transcript (the same documented read
/// path, two more columns of it). An analysis whose event is gone (erased or past retention) is left out as gone,
/// as the CRM treated it when it read both tables itself.
/// </summary>
public sealed class LeadSourceReader(NpgsqlDataSource dataSource, PiiProtector protector)
{
    /// <summary>The listed analyses that still exist, by id; an id that names nothing is left out.</summary>
    public async Task<List<StoredLead>> ReadAsync(IReadOnlyCollection<long> analysisIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysisIds);
        // Superseded: a later version made from the same event (a re-analysis) has its own export job, so a late
        // job must not send the older verdict. analyses_event_idx keeps that probe to the event's few versions.
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.event_id, a.version, a.conversation_id, e.agent_id, e.trace_parent,
                   EXISTS (SELECT FROM analysis.analyses n WHERE n.event_id = a.event_id AND n.id > a.id), a.result::text
            FROM analysis.analyses a
            JOIN ingest.webhook_events e ON e.id = a.event_id
            WHERE a.id = ANY(@ids)
            ORDER BY a.id
            """);
        command.Parameters.AddWithValue("ids", analysisIds.ToArray());
        var leads = new List<StoredLead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leads.Add(new StoredLead(
                AnalysisId: reader.GetInt64(0),
                EventId: reader.GetInt64(1),
                Version: reader.GetInt32(2),
                ConversationId: reader.GetString(3),
                AgentId: reader.IsDBNull(4) ? null : reader.GetString(4),
                TraceParent: reader.IsDBNull(5) ? null : reader.GetString(5),
                Superseded: reader.GetBoolean(6),
                ResultJson: protector.UnprotectStrings(JsonNode.Parse(reader.GetString(7)))!.ToJsonString()));
        }
        return leads;
    }
}
