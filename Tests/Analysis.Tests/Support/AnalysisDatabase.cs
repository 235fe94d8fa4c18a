using System.Text.Json;
using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>
/// A fresh database with the gateway's side in place: its real migrations (<c>ingest.webhook_events</c>) and the
/// shared jobs schema, into which events are stored and analysis jobs enqueued as the gateway does, in one transaction.
/// </summary>
public sealed class AnalysisDatabase : IAsyncDisposable
{
    private readonly JobQueue _queue;

    private AnalysisDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        _queue = new JobQueue(PipelineJobs.Analysis.Queue, dataSource, new JobQueueOptions());
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<AnalysisDatabase> CreateAsync()
    {
        var pg = await ThrowawayPostgres.Shared;
        var connectionString = await pg.CreateDatabaseAsync("analysis");
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await RealMigrations.ApplyAsync(dataSource, "Gateway");
        return new AnalysisDatabase(connectionString, dataSource);
    }

    /// <summary>Stores a transcription webhook (a fixture, optionally under another conversation id) and its analyze job.</summary>
    public async Task<(long EventId, long JobId, string ConversationId)> StoreTranscriptionAsync(string fixture = "post_call_transcription_ru.json", string? conversationId = null)
    {
        var json = Fixtures.Json(fixture);
        using var document = JsonDocument.Parse(json);
        var original = document.RootElement.GetProperty("data").GetProperty("conversation_id").GetString()!;
        conversationId ??= original;
        json = json.Replace(original, conversationId, StringComparison.Ordinal);

        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent)
            VALUES ('post_call_transcription', 1767607331, 'agent_test', @conversation, @payload::jsonb,
                    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
            RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue("conversation", conversationId);
        insert.Parameters.AddWithValue("payload", json);
        var eventId = (long)(await insert.ExecuteScalarAsync())!;
        var job = await _queue.EnqueueAsync(connection, transaction, PipelineJobs.Analysis.Analyze, conversationId,
            new AnalyzeJobPayload(eventId).ToJson(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        await transaction.CommitAsync();
        return (eventId, job.JobId, conversationId);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : result is T typed ? typed : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after the deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }
            await Task.Delay(50);
        }
    }

    public Task<long> CountAsync(string sql) => ScalarAsync<long>(sql);

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
