using System.Text.RegularExpressions;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The DDL of one queue's table, <c>&lt;schema&gt;.jobs</c>, recorded as version <c>000_job_queue</c> of that
/// schema. Idempotent, because a producer (the gateway) and a consumer (the analysis service) both register
/// the same queue and whichever migrates first creates it.
/// </summary>
public sealed partial class JobQueueMigration : IMigrationSource
{
    /// <summary>The version recorded in <c>public.schema_migrations</c>.</summary>
    public const string Version = "000_job_queue";

    public JobQueueMigration(string schema)
    {
        EnsureValidName(schema);
        Schema = schema;
    }

    public string Schema { get; }

    public IReadOnlyList<(string Version, string Sql)> Load() => [(Version, Sql)];

    /// <summary>
    /// The claim looks at two small partial indexes: due queued jobs in <c>run_at</c> order, and running jobs
    /// by lease expiry. Finished jobs are in neither, so a long history does not slow claims down.
    /// </summary>
    public string Sql => $$"""
        CREATE SCHEMA IF NOT EXISTS {{Schema}};
        CREATE TABLE IF NOT EXISTS {{Schema}}.jobs (
            id           bigserial PRIMARY KEY,
            kind         text        NOT NULL,
            job_key      text        NOT NULL,
            payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
            state        text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
            attempts     integer     NOT NULL DEFAULT 0,
            max_attempts integer     NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
            run_at       timestamptz NOT NULL DEFAULT now(),
            lease_until  timestamptz,
            locked_by    text,
            last_error   text,
            trace_parent text,
            created_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS jobs_due_idx ON {{Schema}}.jobs (run_at, id) WHERE state = 'queued';
        CREATE INDEX IF NOT EXISTS jobs_lease_idx ON {{Schema}}.jobs (lease_until) WHERE state = 'running';
        CREATE INDEX IF NOT EXISTS jobs_key_idx ON {{Schema}}.jobs (job_key, kind);
        """;

    /// <summary>Queue names become schema and channel names, so they must be plain lowercase identifiers.</summary>
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
