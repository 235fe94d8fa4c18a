using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// A fresh database with minimal versions of the tables other services own (ingest.webhook_events,
/// analysis.analyses: only the columns the CRM service reads), and helpers to seed analysed conversations.
/// </summary>
public sealed class CrmDatabase : IAsyncDisposable
{
    private const string ForeignTables = """
        CREATE SCHEMA IF NOT EXISTS ingest;
        CREATE TABLE IF NOT EXISTS ingest.webhook_events (
            id bigserial PRIMARY KEY, event_type text NOT NULL, event_timestamp bigint, agent_id text,
            conversation_id text NOT NULL, payload jsonb NOT NULL DEFAULT '{}', trace_parent text,
            received_at timestamptz NOT NULL DEFAULT now(), UNIQUE (event_type, conversation_id));
        CREATE SCHEMA IF NOT EXISTS analysis;
        CREATE TABLE IF NOT EXISTS analysis.analyses (
            id bigserial PRIMARY KEY,
            event_id bigint NOT NULL REFERENCES ingest.webhook_events (id) ON DELETE CASCADE,
            version integer NOT NULL DEFAULT 1, model text, prompt_version text, result jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        """;

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
        await database.ExecuteAsync(ForeignTables);
        return database;
    }

    /// <summary>Stores a webhook event and its analysis; returns the analysis id.</summary>
    public async Task<long> SeedAnalysisAsync(string conversationId, string resultJson, string agentId = Leads.AgentId, string? traceParent = null)
    {
        await using var command = DataSource.CreateCommand("""
            WITH e AS (
                INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, trace_parent)
                VALUES ('post_call_transcription', 1730000000, @agent, @conversation, @trace) RETURNING id)
            INSERT INTO analysis.analyses (event_id, model, result) SELECT id, 'test', @result::jsonb FROM e RETURNING id
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
            INSERT INTO analysis.analyses (event_id, version, model, result)
            SELECT e.id, 2, 'test', @result::jsonb FROM ingest.webhook_events e WHERE e.conversation_id = @conversation
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
