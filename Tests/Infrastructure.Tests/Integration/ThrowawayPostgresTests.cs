using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration;

public sealed class ThrowawayPostgresTests
{
    [Fact]
    public async Task EachCreatedDatabaseIsEmptyAndSeparate()
    {
        var postgres = await ThrowawayPostgres.Shared;
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE marker (id int)", connection).ExecuteNonQueryAsync();
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync();
        var count = (long)(await new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'", other).ExecuteScalarAsync())!;
        Assert.Equal(0, count);
    }
}
