using Npgsql;
using NpgsqlTypes;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The queue's operations on many jobs at once, one statement each: what a batch of claimed jobs costs per batch
/// rather than per job (see <see cref="IBatchJobHandler"/>).
/// </summary>
public sealed partial class JobQueue
{
    /// <summary>
    /// Adds the jobs in one statement inside the caller's transaction, with one notification for all of them
    /// (delivered at commit, and only then). No de-duplication: for that, enqueue one at a time.
    /// </summary>
    public async Task EnqueueManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }
        foreach (var job in jobs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(job.Kind);
            ArgumentException.ThrowIfNullOrWhiteSpace(job.Key);
            EnsureJson(job.PayloadJson);
        }
        // The notification is an uncorrelated subquery: evaluated once, however many rows were inserted.
        await using var insert = new NpgsqlCommand($"""
            WITH inserted AS (
                INSERT INTO {_table} (queue, kind, job_key, payload, run_at, trace_parent)
                SELECT @queue, j.kind, j.job_key, j.payload::jsonb, now(), j.trace_parent
                FROM unnest(@kinds, @keys, @payloads, @traceParents) AS j(kind, job_key, payload, trace_parent)
                RETURNING id)
            SELECT count(*), (SELECT pg_notify(@channel, '')) FROM inserted
            """, connection, transaction);
        insert.Parameters.AddWithValue("queue", Name);
        insert.Parameters.AddWithValue("channel", _channel);
        insert.Parameters.AddWithValue("kinds", jobs.Select(j => j.Kind).ToArray());
        insert.Parameters.AddWithValue("keys", jobs.Select(j => j.Key).ToArray());
        insert.Parameters.AddWithValue("payloads", jobs.Select(j => j.PayloadJson).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("traceParents", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = jobs.Select(j => (object?)j.TraceParent ?? DBNull.Value).ToArray(),
        });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks all the jobs done in one statement inside the caller's transaction, the one that stores their results.
    /// Throws <see cref="JobLeaseLostException"/> (naming the first job no longer held) if any of them is no longer
    /// held under its claim, so the caller rolls back every result of the batch.
    /// </summary>
    public async Task CompleteAsync(
        IReadOnlyList<ClaimedJob> jobs, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(connection);
        if (jobs.Count == 0)
        {
            return;
        }
        var completed = await CompleteHeldAsync(jobs, connection, transaction, cancellationToken);
        if (jobs.FirstOrDefault(j => !completed.Contains(j.Id)) is { } lost)
        {
            throw new JobLeaseLostException(Name, lost.Id);
        }
    }

    /// <summary>
    /// Marks done, in one statement and its own transaction, those of the jobs still held under their claims (for
    /// jobs whose results live elsewhere). Returns the ids it completed; a job missing from them was lost.
    /// </summary>
    public async Task<IReadOnlySet<long>> CompleteHeldAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return new HashSet<long>();
        }
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await CompleteHeldAsync(jobs, connection, null, cancellationToken);
    }

    /// <summary>
    /// Extends the leases of all the jobs in one statement. Returns the ids still held; a job missing from them was
    /// lost (another worker owns it now) or is finished already.
    /// </summary>
    public async Task<IReadOnlySet<long>> RenewLeasesAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return new HashSet<long>();
        }
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} AS j SET lease_until = now() + @lease, updated_at = now()
            FROM unnest(@ids, @tokens) AS held(id, token)
            WHERE j.id = held.id AND j.locked_by = held.token AND j.state = 'running'
            RETURNING j.id
            """);
        command.Parameters.AddWithValue("lease", _options.LeaseDuration);
        AddLeaseGuards(command, jobs);
        return await ReadIdsAsync(command, cancellationToken);
    }

    private async Task<IReadOnlySet<long>> CompleteHeldAsync(
        IReadOnlyList<ClaimedJob> jobs, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE {_table} AS j SET state = 'done', lease_until = NULL, updated_at = now()
            FROM unnest(@ids, @tokens) AS held(id, token)
            WHERE j.id = held.id AND j.locked_by = held.token AND j.state = 'running'
            RETURNING j.id
            """, connection, transaction);
        AddLeaseGuards(command, jobs);
        return await ReadIdsAsync(command, cancellationToken);
    }

    private static void AddLeaseGuards(NpgsqlCommand command, IReadOnlyList<ClaimedJob> jobs)
    {
        command.Parameters.AddWithValue("ids", jobs.Select(j => j.Id).ToArray());
        command.Parameters.AddWithValue("tokens", jobs.Select(j => j.LeaseToken).ToArray());
    }

    private static async Task<IReadOnlySet<long>> ReadIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }
}
