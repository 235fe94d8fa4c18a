using Npgsql;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// Lookups across conversations for the gateway's admin API: by the analysed phone's keyed hash (subject
/// requests) and the latest outcome of listed conversations (the admin list). No personal data leaves here.
/// </summary>
public sealed class AnalysisLookup(NpgsqlDataSource dataSource)
{
    /// <summary>Conversations any of whose versions has this phone hash (a rectified-away number still counts).</summary>
    public async Task<List<string>> ConversationsByPhoneHashAsync(string phoneHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT conversation_id FROM analysis.analyses WHERE phone_hash = @hash ORDER BY conversation_id
            """);
        command.Parameters.AddWithValue("hash", phoneHash);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>The latest version's number, outcome and topic of each listed conversation that has an analysis.</summary>
    public async Task<List<LatestOutcome>> LatestOutcomesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (conversation_id) conversation_id, version, result->>'outcome', result->>'topic'
            FROM analysis.analyses WHERE conversation_id = ANY(@ids)
            ORDER BY conversation_id, version DESC
            """);
        command.Parameters.AddWithValue("ids", conversationIds.ToArray());
        var outcomes = new List<LatestOutcome>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outcomes.Add(new LatestOutcome(reader.GetString(0), reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return outcomes;
    }
}
