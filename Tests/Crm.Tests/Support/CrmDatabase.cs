using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// A fresh database with the tables other services own built from their real migrations (the gateway's
/// ingest.webhook_events, the analysis service's analysis.analyses) and the shared jobs schema, and helpers to
/// seed analysed conversations as those services store them.
/// </summary>
public sealed class CrmDatabase : IAsyncDisposable
{
    private CrmDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<CrmDatabase> CreateAsync()
    {
        var server = await ThrowawayPostgres.Shared;
        var database = new CrmDatabase(await server.CreateDatabaseAsync("crm"));
        await RealMigrations.ApplyAsync(database.DataSource, "Gateway", "AnalysisService");
        return database;
    }

    /// <summary>Stores a webhook event and its analysis; returns the analysis id.</summary>
    public async Task<long> SeedAnalysisAsync(string conversationId, string resultJson, string agentId = Leads.AgentId, string? traceParent = null)
    {
        await using var command = DataSource.CreateCommand("""
            WITH e AS (
                INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent)
                VALUES ('post_call_transcription', 1730000000, @agent, @conversation, '{}', @trace) RETURNING id, conversation_id)
            INSERT INTO analysis.analyses (event_id, conversation_id, version, model, prompt_version, result)
            SELECT id, conversation_id, 1, 'test', 'v1', @result::jsonb FROM e RETURNING id
            """);
        command.Parameters.AddWithValue("agent", agentId);
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("trace", (object?)traceParent ?? DBNull.Value);
        command.Parameters.AddWithValue("result", resultJson);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stores a re-analysis of the conversation's event (the next version); returns its id.</summary>
    public async Task<long> SeedReanalysisAsync(string conversationId, string resultJson)
    {
        await using var command = DataSource.CreateCommand("""
            INSERT INTO analysis.analyses (event_id, conversation_id, version, model, prompt_version, result)
            SELECT e.id, e.conversation_id, 2, 'test', 'v1', @result::jsonb FROM ingest.webhook_events e WHERE e.conversation_id = @conversation
            RETURNING id
            """);
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("result", resultJson);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
