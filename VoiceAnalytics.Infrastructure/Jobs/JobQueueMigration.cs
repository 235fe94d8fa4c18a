using System.Text.RegularExpressions;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The <c>jobs</c> schema: one table, <c>jobs.jobs</c>, holding every queue's rows (column <c>queue</c>). It is
/// shared infrastructure, like a broker, and the only table two services write. Every process that registers a
/// queue registers this migration; whichever migrates first creates it (the runner's lock and version record make
/// the others skip it).
/// </summary>
public sealed partial class JobQueueMigration : IMigrationSource
{
    public const string SchemaName = "jobs";

    public const string Table = "jobs.jobs";

    public static JobQueueMigration Instance { get; } = new();

    private JobQueueMigration()
    {
    }

    public string Schema => SchemaName;

    public IReadOnlyList<(string Version, string Sql)> Load() => [("001_jobs", CreateSql), ("002_from_service_schemas", MoveSql)];

    /// <summary>
    /// The claim looks at two small partial indexes per queue: due queued jobs in <c>run_at</c> order, and running
    /// jobs by lease expiry. Finished jobs are in neither, so a long history does not slow claims down. There is no
    /// <c>max_attempts</c> column: attempts are the consumer's setting, not the producer's.
    /// </summary>
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS jobs.jobs (
            id           bigserial PRIMARY KEY,
            queue        text        NOT NULL,
            kind         text        NOT NULL,
            job_key      text        NOT NULL,
            payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
            state        text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
            attempts     integer     NOT NULL DEFAULT 0,
            run_at       timestamptz NOT NULL DEFAULT now(),
            lease_until  timestamptz,
            locked_by    text,
            last_error   text,
            trace_parent text,
            created_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS jobs_due_idx ON jobs.jobs (queue, run_at, id) WHERE state = 'queued';
        CREATE INDEX IF NOT EXISTS jobs_lease_idx ON jobs.jobs (queue, lease_until) WHERE state = 'running';
        CREATE INDEX IF NOT EXISTS jobs_key_idx ON jobs.jobs (job_key, queue, kind);
        """;

    /// <summary>
    /// Moves the rows of the former per-service queue tables (<c>analysis.jobs</c>, <c>crm.jobs</c>) here and drops
    /// them. The analysis jobs keep their ids (<c>analysis.analyses.job_id</c> names them); the CRM jobs, which no
    /// row names, take new ids after them. A fresh database has neither table, and this does nothing.
    /// </summary>
    public const string MoveSql = """
        DO $$
        BEGIN
            IF to_regclass('analysis.jobs') IS NOT NULL THEN
                INSERT INTO jobs.jobs (id, queue, kind, job_key, payload, state, attempts, run_at, lease_until, locked_by, last_error, trace_parent, created_at, updated_at)
                SELECT id, 'analysis', kind, job_key, payload, state, attempts, run_at, lease_until, locked_by, last_error, trace_parent, created_at, updated_at
                FROM analysis.jobs ORDER BY id;
                DROP TABLE analysis.jobs;
            END IF;
            PERFORM setval('jobs.jobs_id_seq', greatest((SELECT max(id) FROM jobs.jobs), 1));
            IF to_regclass('crm.jobs') IS NOT NULL THEN
                INSERT INTO jobs.jobs (queue, kind, job_key, payload, state, attempts, run_at, lease_until, locked_by, last_error, trace_parent, created_at, updated_at)
                SELECT 'crm', kind, job_key, payload, state, attempts, run_at, lease_until, locked_by, last_error, trace_parent, created_at, updated_at
                FROM crm.jobs ORDER BY id;
                DROP TABLE crm.jobs;
            END IF;
            DELETE FROM public.schema_migrations WHERE version = '000_job_queue' AND schema_name IN ('analysis', 'crm');
        END $$;
        """;

    /// <summary>Queue names become notification channel names, so they must be plain lowercase identifiers.</summary>
    internal static void EnsureValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 40 || !ValidName().IsMatch(name))
        {
            throw new ArgumentException("A queue name must be a lowercase identifier such as 'analysis' (letters, digits, underscores).", nameof(name));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex ValidName();
}
