using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// A fresh database with the shared jobs schema (the CRM service migrates its own), and beside it a fake analysis
/// service that hands over the leads: the CRM reads no table of another service, so analysed conversations are
/// seeded where the CRM asks for them.
/// </summary>
public sealed class CrmDatabase : IAsyncDisposable
{
    private CrmDatabase(string connectionString, FakeAnalysisServer analysis)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Analysis = analysis;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The analysis service the CRM hosts of this database ask for leads.</summary>
    public FakeAnalysisServer Analysis { get; }

    public static async Task<CrmDatabase> CreateAsync()
    {
        var server = await ThrowawayPostgres.Shared;
        var database = new CrmDatabase(await server.CreateDatabaseAsync("crm"), await FakeAnalysisServer.StartAsync());
        await RealMigrations.ApplyJobsAsync(database.DataSource);
        return database;
    }

    /// <summary>An analysed conversation, as the analysis service hands it over; returns the analysis id.</summary>
    public Task<long> SeedAnalysisAsync(string conversationId, string resultJson, string agentId = Leads.AgentId, string? traceParent = null) =>
        Task.FromResult(Analysis.Add(conversationId, resultJson, agentId, traceParent));

    /// <summary>A re-analysis of the conversation's event (the next version); returns its id.</summary>
    public Task<long> SeedReanalysisAsync(string conversationId, string resultJson) =>
        Task.FromResult(Analysis.AddReanalysis(conversationId, resultJson));

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

    public async ValueTask DisposeAsync()
    {
        await Analysis.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
