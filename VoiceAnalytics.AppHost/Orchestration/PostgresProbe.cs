using Npgsql;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Health probes and database creation, over short-lived unpooled connections (a restarted server leaves no dead pool behind).</summary>
internal static class PostgresProbe
{
    private const string UndefinedDatabase = "3D000";

    /// <summary>True when the server answers; with <paramref name="serverOnly"/> a missing database still counts as an answering server.</summary>
    public static async Task<bool> IsReadyAsync(string connectionString, bool serverOnly, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled(connectionString));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (serverOnly && ex.SqlState == UndefinedDatabase)
        {
            return true;
        }
    }

    /// <summary>Creates the database named in <paramref name="connectionString"/> when it does not exist, through <paramref name="adminConnectionString"/>.</summary>
    public static async Task<bool> EnsureDatabaseAsync(string connectionString, string adminConnectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled(connectionString));
            await connection.OpenAsync(cancellationToken);
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == UndefinedDatabase)
        {
            var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            await using var admin = new NpgsqlConnection(Unpooled(adminConnectionString));
            await admin.OpenAsync(cancellationToken);
            // Identifiers cannot be parameters; quoting (with doubled quotes) makes any name safe.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
}
