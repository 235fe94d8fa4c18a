using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A durable job queue: the rows of <c>jobs.jobs</c> whose <c>queue</c> is this queue's name. The <c>jobs</c>
/// schema is shared infrastructure, like a broker: the only tables two services write (a producer enqueues, the
/// consumer claims and completes). Producers enqueue inside their own transaction; workers claim with
/// <c>FOR UPDATE SKIP LOCKED</c> under a lease, and complete inside the transaction that stores their results.
/// Attempts and backoff are the consumer's settings (<see cref="JobQueueOptions"/> of the process that runs the
/// worker); producers stamp nothing of the kind. Get one with <c>[FromKeyedServices("analysis")] JobQueue queue</c>
/// after <c>builder.AddJobQueue("analysis")</c>.
/// </summary>
public sealed partial class JobQueue
{
    private const int MaxErrorLength = 2000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly JobQueueOptions _options;
    private readonly ILogger _logger;
    private readonly JobWakeSignal _wake = new();
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly string _table;
    private readonly string _channel;

    public JobQueue(string name, NpgsqlDataSource dataSource, JobQueueOptions options, ILogger<JobQueue>? logger = null)
    {
        JobQueueMigration.EnsureValidName(name);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _dataSource = dataSource;
        _options = options;
        _logger = logger ?? NullLogger<JobQueue>.Instance;
        _table = JobQueueMigration.Table;
        _channel = $"jobs_{name}";
    }

    /// <summary>The queue's name: the <c>queue</c> column of its rows in <c>jobs.jobs</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The queues' table, <c>jobs.jobs</c>: for a producer that folds its insert into a statement of its own (the
    /// gateway's single-round-trip batch); it sets <c>queue</c> to <see cref="Name"/> and must also
    /// <c>pg_notify(</c><see cref="NotifyChannel"/><c>, '')</c>.
    /// </summary>
    public string TableName => _table;

    /// <summary>The channel listeners wait on; notify it in the transaction that adds jobs.</summary>
    public string NotifyChannel => _channel;

    /// <summary>The queue's settings (those of the consumer matter: attempts, backoff, lease).</summary>
    public JobQueueOptions Options => _options;

    /// <summary>
    /// Completes at the next wake-up (a <see cref="Nudge"/> or a <c>NOTIFY</c> seen by <see cref="ListenAsync"/>).
    /// Take it before looking for work, then wait on it, so a wake-up in between is not missed.
    /// </summary>
    public Task NextWakeUp => _wake.Next;

    /// <summary>True while <see cref="ListenAsync"/> holds a connection that is listening.</summary>
    public bool IsListening { get; private set; }

    /// <summary>Wakes this process's idle workers now (the gRPC nudge calls this).</summary>
    public void Nudge() => _wake.Wake();

    /// <summary>
    /// Adds a job inside the caller's transaction; listeners are notified when that transaction commits, and
    /// nothing is queued if it rolls back. With <paramref name="deduplicate"/>, no second job is created while
    /// one of the same kind and key is queued or running: its id comes back with <c>Created = false</c>.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string kind,
        string key,
        string payloadJson,
        string? traceParent,
        bool deduplicate = false,
        TimeSpan? delay = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        EnsureJson(payloadJson);

        // De-duplication needs its own transaction when the caller has none: the advisory lock that serialises
        // enqueues of one kind and key lasts until commit.
        var ownTransaction = deduplicate && transaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var tx = transaction ?? ownTransaction;
        try
        {
            if (deduplicate)
            {
                await using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@lock, 0))", connection, tx);
                lockCommand.Parameters.AddWithValue("lock", $"{_table}\n{Name}\n{kind}\n{key}");
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            // A separate statement after the lock, so that its snapshot sees a job committed by whoever held it.
            // It notifies listeners only when it inserts (delivered at commit, and only then: a rolled-back
            // enqueue wakes nobody), in the same round trip.
            await using var insert = new NpgsqlCommand($"""
                WITH existing AS (
                    SELECT id FROM {_table}
                    WHERE @deduplicate AND queue = @queue AND kind = @kind AND job_key = @key AND state IN ('queued', 'running')
                    ORDER BY id LIMIT 1),
                inserted AS (
                    INSERT INTO {_table} (queue, kind, job_key, payload, run_at, trace_parent)
                    SELECT @queue, @kind, @key, @payload, now() + @delay, @traceParent
                    WHERE NOT EXISTS (SELECT FROM existing)
                    RETURNING id)
                SELECT inserted.id, true FROM inserted CROSS JOIN LATERAL (SELECT pg_notify(@channel, '')) AS notified
                UNION ALL
                SELECT id, false FROM existing
                """, connection, tx);
            insert.Parameters.AddWithValue("channel", _channel);
            insert.Parameters.AddWithValue("deduplicate", deduplicate);
            insert.Parameters.AddWithValue("queue", Name);
            insert.Parameters.AddWithValue("kind", kind);
            insert.Parameters.AddWithValue("key", key);
            insert.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = payloadJson });
            insert.Parameters.AddWithValue("delay", delay ?? TimeSpan.Zero);
            insert.Parameters.Add(new NpgsqlParameter("traceParent", NpgsqlDbType.Text) { Value = (object?)traceParent ?? DBNull.Value });
            EnqueueResult result;
            await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                result = new EnqueueResult(reader.GetInt64(0), reader.GetBoolean(1));
            }
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
            return result;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>Adds a job in its own transaction (see the transactional overload).</summary>
    public async Task<EnqueueResult> EnqueueAsync(
        string kind,
        string key,
        string payloadJson,
        string? traceParent,
        bool deduplicate = false,
        TimeSpan? delay = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await EnqueueAsync(connection, null, kind, key, payloadJson, traceParent, deduplicate, delay, cancellationToken);
    }

    /// <summary>
    /// Claims the next job: the queued job whose <c>run_at</c> came first, or a running job whose lease
    /// expired (its worker crashed). Counts an attempt and leases the job for <see cref="JobQueueOptions.LeaseDuration"/>.
    /// Returns null when nothing is due.
    /// </summary>
    public async Task<ClaimedJob?> ClaimAsync(CancellationToken cancellationToken = default) =>
        (await ClaimBatchAsync(1, cancellationToken)).FirstOrDefault();

    /// <summary>
    /// Claims up to <paramref name="limit"/> jobs in one statement (one round trip, one commit): expired leases
    /// first, then due jobs in <c>run_at</c> order. Each is leased and counted as <see cref="ClaimAsync"/> does,
    /// and completes, fails or snoozes on its own. Empty when nothing is due.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimBatchAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Expired leases first (rare, and the oldest work), then due jobs; each through its own partial index.
        // SKIP LOCKED lets concurrent claimers pass over each other's rows instead of queueing behind them.
        await using var command = _dataSource.CreateCommand($"""
            WITH expired AS (
                SELECT id FROM {_table}
                WHERE queue = @queue AND state = 'running' AND lease_until < now()
                ORDER BY lease_until LIMIT @limit
                FOR UPDATE SKIP LOCKED),
            due AS (
                SELECT id FROM {_table}
                WHERE queue = @queue AND state = 'queued' AND run_at <= now()
                ORDER BY run_at, id LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            UPDATE {_table} AS j
            SET state = 'running', attempts = j.attempts + 1, lease_until = now() + @lease, locked_by = @token, updated_at = now()
            WHERE j.id IN (SELECT id FROM (SELECT id, 0 AS rank FROM expired UNION ALL SELECT id, 1 FROM due) AS picked ORDER BY rank LIMIT @limit)
            RETURNING j.id, j.kind, j.job_key, j.payload::text, j.attempts, j.trace_parent, j.created_at, j.run_at
            """);
        // One token for the claim: each job's guard is its id and this token.
        var token = $"{_owner}:{Guid.NewGuid():N}";
        command.Parameters.AddWithValue("queue", Name);
        command.Parameters.AddWithValue("limit", (long)limit);
        command.Parameters.AddWithValue("lease", _options.LeaseDuration);
        command.Parameters.AddWithValue("token", token);
        var claimed = new List<(DateTimeOffset RunAt, ClaimedJob Job)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetFieldValue<DateTimeOffset>(7), new ClaimedJob(
                    Id: reader.GetInt64(0),
                    Kind: reader.GetString(1),
                    Key: reader.GetString(2),
                    PayloadJson: reader.GetString(3),
                    Attempt: reader.GetInt32(4),
                    MaxAttempts: _options.MaxAttempts,
                    TraceParent: reader.IsDBNull(5) ? null : reader.GetString(5),
                    LeaseToken: token,
                    CreatedAt: reader.GetFieldValue<DateTimeOffset>(6))));
            }
        }
        // RETURNING keeps no order: hand the jobs out in the order they became due.
        return [.. claimed.OrderBy(c => c.RunAt).ThenBy(c => c.Job.Id).Select(c => c.Job)];
    }

    /// <summary>How long until the next job becomes claimable (zero if one is due now); null when the queue is empty.</summary>
    public async Task<TimeSpan?> GetNextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT GREATEST(LEAST(
                (SELECT min(run_at) FROM {_table} WHERE queue = @queue AND state = 'queued'),
                (SELECT min(lease_until) FROM {_table} WHERE queue = @queue AND state = 'running')) - now(), interval '0')
            """);
        command.Parameters.AddWithValue("queue", Name);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is TimeSpan due ? due : null;
    }

    /// <summary>Extends the lease of a long job. False when the lease was lost (the worker should stop).</summary>
    public async Task<bool> RenewLeaseAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} SET lease_until = now() + @lease, updated_at = now()
            WHERE id = @id AND state = 'running' AND locked_by = @token
            """);
        command.Parameters.AddWithValue("lease", _options.LeaseDuration);
        AddLeaseGuard(command, job);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Marks the job done inside the caller's transaction, the one that stores the job's results. Throws
    /// <see cref="JobLeaseLostException"/> if the job is no longer held under this claim, so the caller rolls
    /// back and the results are stored exactly once.
    /// </summary>
    public async Task CompleteAsync(ClaimedJob job, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand($"""
            UPDATE {_table} SET state = 'done', lease_until = NULL, updated_at = now()
            WHERE id = @id AND state = 'running' AND locked_by = @token
            """, connection, transaction);
        AddLeaseGuard(command, job);
        await ExecuteGuardedAsync(command, job, cancellationToken);
    }

    /// <summary>Marks the job done in its own transaction (for jobs whose results live elsewhere).</summary>
    public async Task CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await CompleteAsync(job, connection, null, cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt. The job is queued again after an exponential backoff with jitter (or after
    /// <paramref name="retryAfter"/>), or becomes <see cref="JobState.Dead"/> with <paramref name="error"/> when
    /// its attempts are spent or the error is <paramref name="permanent"/>. Returns the job's new state.
    /// </summary>
    public async Task<JobState> FailAsync(
        ClaimedJob job, string error, bool permanent = false, TimeSpan? retryAfter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(error);
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} SET
                state = CASE WHEN @permanent OR attempts >= @maxAttempts THEN 'dead' ELSE 'queued' END,
                run_at = CASE WHEN @permanent OR attempts >= @maxAttempts THEN run_at ELSE now() + @delay END,
                lease_until = NULL, last_error = @error, updated_at = now()
            WHERE id = @id AND state = 'running' AND locked_by = @token
            RETURNING state
            """);
        command.Parameters.AddWithValue("permanent", permanent);
        command.Parameters.AddWithValue("maxAttempts", _options.MaxAttempts);
        command.Parameters.AddWithValue("delay", retryAfter ?? JobBackoff.Delay(job.Attempt, _options.RetryBaseDelay, _options.RetryMaxDelay));
        command.Parameters.AddWithValue("error", error.Length <= MaxErrorLength ? error : error[..MaxErrorLength]);
        AddLeaseGuard(command, job);
        var state = await command.ExecuteScalarAsync(cancellationToken) as string ?? throw new JobLeaseLostException(Name, job.Id);
        return state == "dead" ? JobState.Dead : JobState.Queued;
    }

    /// <summary>
    /// Puts the job back for later without spending an attempt: the provider said "not now" (HTTP 429), or
    /// the worker is shutting down.
    /// </summary>
    public async Task SnoozeAsync(ClaimedJob job, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} SET state = 'queued', attempts = GREATEST(attempts - 1, 0), run_at = now() + @delay,
                lease_until = NULL, updated_at = now()
            WHERE id = @id AND state = 'running' AND locked_by = @token
            """);
        command.Parameters.AddWithValue("delay", delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        AddLeaseGuard(command, job);
        await ExecuteGuardedAsync(command, job, cancellationToken);
        if (delay <= TimeSpan.Zero)
        {
            _wake.Wake();
        }
    }

    /// <summary>
    /// Runs the latest finished (done or dead) job of this kind and key again, with fresh attempts: a
    /// re-analysis, a retried export. If one is already queued or running, nothing changes and its id is
    /// returned. Null when the queue never had such a job. <paramref name="payloadPatchJson"/>, a JSON object, is
    /// merged into the requeued job's payload (who asked for it, say); an active job is left as it is.
    /// </summary>
    public async Task<long?> RequeueAsync(string kind, string key, CancellationToken cancellationToken = default, string? payloadPatchJson = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@lock, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("lock", $"{_table}\n{Name}\n{kind}\n{key}");
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand($"""
            WITH active AS (
                SELECT id FROM {_table}
                WHERE queue = @queue AND kind = @kind AND job_key = @key AND state IN ('queued', 'running')
                ORDER BY id LIMIT 1),
            latest AS (
                SELECT id FROM {_table}
                WHERE queue = @queue AND kind = @kind AND job_key = @key AND state IN ('done', 'dead') AND NOT EXISTS (SELECT FROM active)
                ORDER BY id DESC LIMIT 1
                FOR UPDATE),
            requeued AS (
                UPDATE {_table} AS j SET state = 'queued', attempts = 0, run_at = now(), lease_until = NULL, updated_at = now(),
                                         payload = j.payload || @patch::jsonb
                FROM latest WHERE j.id = latest.id
                RETURNING j.id)
            SELECT id, true FROM requeued
            UNION ALL
            SELECT id, false FROM active
            """, connection, transaction);
        command.Parameters.AddWithValue("queue", Name);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("patch", payloadPatchJson ?? "{}");
        long? id = null;
        var requeued = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                id = reader.GetInt64(0);
                requeued = reader.GetBoolean(1);
            }
        }
        if (requeued)
        {
            await NotifyAsync(connection, transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Counts per state and the age of the oldest due job.</summary>
    public async Task<JobQueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT count(*) FILTER (WHERE state = 'queued'),
                   count(*) FILTER (WHERE state = 'running'),
                   count(*) FILTER (WHERE state = 'done'),
                   count(*) FILTER (WHERE state = 'dead'),
                   now() - min(run_at) FILTER (WHERE state = 'queued' AND run_at <= now())
            FROM {_table} WHERE queue = @queue
            """);
        command.Parameters.AddWithValue("queue", Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new JobQueueStats(
            Queued: reader.GetInt64(0),
            Running: reader.GetInt64(1),
            Done: reader.GetInt64(2),
            Dead: reader.GetInt64(3),
            OldestQueuedAge: reader.IsDBNull(4) ? null : reader.GetFieldValue<TimeSpan>(4));
    }

    /// <summary>
    /// Listens for this queue's notifications on a dedicated connection until cancelled and wakes the
    /// workers on each. Reconnects (with backoff) when the connection drops, e.g. when Postgres restarts, and
    /// wakes the workers after reconnecting because notifications sent meanwhile are lost.
    /// </summary>
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => _wake.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {_channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }
                _wake.Wake();
                IsListening = true;
                delay = TimeSpan.FromMilliseconds(250);
                LogListening(Name);
                while (true)
                {
                    // A quiet connection can die unnoticed (a network cut), so check it now and then.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                IsListening = false;
                LogListenerDown(Name, delay.TotalMilliseconds, ex.Message);
                try
                {
                    await Task.Delay(delay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            finally
            {
                IsListening = false;
            }
        }
    }

    private async Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        // Delivered at commit, and only then: a rolled-back enqueue wakes nobody.
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, '')", connection, transaction);
        notify.Parameters.AddWithValue("channel", _channel);
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ExecuteGuardedAsync(NpgsqlCommand command, ClaimedJob job, CancellationToken cancellationToken)
    {
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new JobLeaseLostException(Name, job.Id);
        }
    }

    private static void AddLeaseGuard(NpgsqlCommand command, ClaimedJob job)
    {
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("token", job.LeaseToken);
    }

    private static void EnsureJson(string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        try
        {
            using var _ = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException)
        {
            throw new ArgumentException("The job payload is not valid JSON.", nameof(payloadJson));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening for jobs in queue {Queue}")]
    private partial void LogListening(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job listener for queue {Queue} lost its connection; reconnecting in {DelayMs} ms: {Reason}")]
    private partial void LogListenerDown(string queue, double delayMs, string reason);
}
