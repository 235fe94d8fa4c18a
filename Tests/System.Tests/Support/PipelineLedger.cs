using System.Text.Json;
using Npgsql;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Reads a run's state from Postgres and from what the fake CRM received, by conversation-id prefix.</summary>
public sealed class PipelineLedger(NpgsqlDataSource database, FakeCreatio crm, string prefix)
{
    public async Task<PipelineCounts> CountAsync(int expected, CancellationToken cancellationToken = default)
    {
        var like = prefix + "%";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var events = await ScalarAsync(connection, "SELECT count(*) FROM ingest.webhook_events WHERE conversation_id LIKE @p", like, cancellationToken);
        var (analysed, multiply) = await PairAsync(connection, """
            SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
            FROM (SELECT e.id, (SELECT count(*) FROM analysis.analyses a WHERE a.event_id = e.id) AS n
                  FROM ingest.webhook_events e WHERE e.conversation_id LIKE @p) t
            """, like, cancellationToken);
        var (analysisOpen, analysisDead) = await PairAsync(connection,
            "SELECT count(*) FILTER (WHERE state IN ('queued', 'running')), count(*) FILTER (WHERE state = 'dead') FROM jobs.jobs WHERE queue = 'analysis' AND job_key LIKE @p", like, cancellationToken);
        var (crmOpen, crmDead) = await PairAsync(connection,
            "SELECT count(*) FILTER (WHERE state IN ('queued', 'running')), count(*) FILTER (WHERE state = 'dead') FROM jobs.jobs WHERE queue = 'crm' AND job_key LIKE @p", like, cancellationToken);
        var exportsDone = await ScalarAsync(connection, "SELECT count(*) FROM crm.exports WHERE conversation_id LIKE @p AND state = 'done'", like, cancellationToken);

        var (leads, duplicates, resent) = CountLeads();
        return new PipelineCounts(expected, events, analysed, multiply, analysisOpen, analysisDead, crmOpen, crmDead, exportsDone, leads, duplicates, resent);
    }

    /// <summary>Waits until every expected conversation went all the way through, or the guard runs out; returns the last counts.</summary>
    public async Task<PipelineCounts> WaitForCompletionAsync(int expected, TimeSpan guard, Action<PipelineCounts>? progress = null)
    {
        var deadline = DateTime.UtcNow + guard;
        var lastReport = DateTime.MinValue;
        while (true)
        {
            PipelineCounts counts;
            try
            {
                counts = await CountAsync(expected);
            }
            catch (NpgsqlException)
            {
                await Task.Delay(500);
                continue; // Postgres restarting
            }
            if (counts.Complete || DateTime.UtcNow > deadline)
            {
                return counts;
            }
            if (progress is not null && DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(10))
            {
                progress(counts);
                lastReport = DateTime.UtcNow;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>Accepted leads by conversation: (conversations with exactly one Id, with more than one, repeat sends of an Id).</summary>
    private (int Leads, int Duplicates, int Resent) CountLeads()
    {
        var accepted = crm.AcceptedById;
        var conversationById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in crm.Requests)
        {
            if (request.RecordId is { } id && !conversationById.ContainsKey(id) && ConversationOf(request.Body) is { } conversation)
            {
                conversationById[id] = conversation;
            }
        }
        var idsByConversation = accepted.Keys
            .Where(id => conversationById.TryGetValue(id, out var c) && c.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(id => conversationById[id])
            .ToList();
        var resent = idsByConversation.SelectMany(g => g).Sum(id => accepted[id] - 1);
        return (idsByConversation.Count(g => g.Count() == 1), idsByConversation.Count(g => g.Count() > 1), resent);
    }

    /// <summary>The UsrConversationId field of a SaveWebFormObjectData body.</summary>
    public static string? ConversationOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("formData").GetProperty("formFieldsData").EnumerateArray()
                .Where(f => f.GetProperty("name").GetString() == "UsrConversationId")
                .Select(f => f.GetProperty("value").GetString())
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection connection, string sql, string like, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", like);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), global::System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int, int)> PairAsync(NpgsqlConnection connection, string sql, string like, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", like);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }
}
