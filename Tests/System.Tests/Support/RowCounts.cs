using Npgsql;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Row counts of every table a request could write to, to prove a refused request stored nothing.</summary>
public sealed record RowCounts(long Events, long Recordings, long AnalysisJobs, long Analyses, long CrmJobs, long Exports)
{
    public static async Task<RowCounts> ReadAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("""
            SELECT (SELECT count(*) FROM ingest.webhook_events), (SELECT count(*) FROM ingest.recordings),
                   (SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'), (SELECT count(*) FROM analysis.analyses),
                   (SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'), (SELECT count(*) FROM crm.exports)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new RowCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }
}
