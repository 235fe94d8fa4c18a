using Npgsql;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>Searches every column of every table in the application schemas for a string (bytea as text too).</summary>
internal static class DatabaseSearch
{
    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlDataSource dataSource, string needle, params string[] excludeSchemas)
    {
        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var list = dataSource.CreateCommand("""
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
            """))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        var hits = new List<string>();
        foreach (var (schema, table, column, type) in columns.Where(c => !excludeSchemas.Contains(c.Schema)))
        {
            var text = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            await using var search = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE {text} LIKE '%' || @needle || '%'");
            search.Parameters.AddWithValue("needle", needle);
            if ((long)(await search.ExecuteScalarAsync())! > 0)
            {
                hits.Add($"{schema}.{table}.{column}");
            }
        }
        return hits;
    }
}
