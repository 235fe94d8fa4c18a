using Npgsql;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Every queue's jobs for one key (a conversation), oldest first: for an admin view of the pipeline.</summary>
public static class JobHistory
{
    public static async Task<IReadOnlyList<JobRecord>> ListAsync(NpgsqlDataSource dataSource, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand($"""
            SELECT queue, id, kind, state, attempts, last_error, created_at FROM {JobQueueMigration.Table} WHERE job_key = @key ORDER BY id
            """);
        command.Parameters.AddWithValue("key", key);
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new JobRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return jobs;
    }
}
