using System.Collections.Concurrent;
using Npgsql;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Which of the other services' tables and columns exist in this database. The gateway reads and erases across
/// every schema, but a service may not have migrated yet (or not be deployed): only what exists is touched.
/// Positive answers are cached (tables are not dropped); negative ones are asked again.
/// </summary>
public sealed class SchemaProbe(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task<bool> HasTableAsync(string table, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(table))
        {
            return true;
        }
        await using var command = dataSource.CreateCommand("SELECT to_regclass(@table) IS NOT NULL");
        command.Parameters.AddWithValue("table", table);
        var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (exists)
        {
            _known[table] = true;
        }
        return exists;
    }

    public async Task<bool> HasColumnAsync(string table, string column, CancellationToken cancellationToken)
    {
        var key = table + "." + column;
        if (_known.ContainsKey(key))
        {
            return true;
        }
        var parts = table.Split('.');
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table AND column_name = @column)");
        command.Parameters.AddWithValue("schema", parts[0]);
        command.Parameters.AddWithValue("table", parts[1]);
        command.Parameters.AddWithValue("column", column);
        var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (exists)
        {
            _known[key] = true;
        }
        return exists;
    }
}
