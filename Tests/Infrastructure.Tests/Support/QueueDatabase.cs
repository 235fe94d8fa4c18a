using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>A fresh database with the shared <c>jobs</c> schema (its real migrations), and a <see cref="JobQueue"/> over it.</summary>
internal sealed class QueueDatabase : IAsyncDisposable
{
    public const string QueueName = "work";

    private QueueDatabase(string connectionString, NpgsqlDataSource dataSource, JobQueue queue)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Queue = queue;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public JobQueue Queue { get; }

    public static async Task<QueueDatabase> CreateAsync(JobQueueOptions? options = null, ThrowawayPostgres? server = null)
    {
        server ??= await ThrowawayPostgres.Shared;
        var connectionString = await server.CreateDatabaseAsync("jobs");
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await RealMigrations.ApplyJobsAsync(dataSource);
        return new QueueDatabase(connectionString, dataSource, new JobQueue(QueueName, dataSource, options ?? new JobQueueOptions()));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
