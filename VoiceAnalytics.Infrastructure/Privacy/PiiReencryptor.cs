using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Rewrites the values of a <see cref="PiiColumnSet"/> that are still encrypted under a retired key with the
/// active key, a batch of rows per transaction, walking the table in key order once (so a pass always ends).
/// Rows are locked while rewritten, so a concurrent writer never loses its update.
/// </summary>
public sealed partial class PiiReencryptor(NpgsqlDataSource dataSource, PiiProtector protector)
{
    /// <summary>One pass over <paramref name="set"/>; returns the number of rows rewritten.</summary>
    public async Task<int> ReencryptAsync(PiiColumnSet set, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var table = QuoteQualified(set.Table);
        var key = Quote(set.KeyColumn);
        var columns = set.Columns.Select(c => Quote(c.Name)).ToArray();
        // An envelope under any key id but the active one. Key ids are [A-Za-z0-9_-], nothing to escape.
        var stale = $"enc:v1:(?!{protector.Ring.ActiveKeyId}:)";
        // A binary envelope's header is ASCII at the start of the value; the rest is random bytes, so only the
        // header is looked at (escape-encoded, the header reads as itself).
        var where = string.Join(" OR ", set.Columns.Select((c, i) => c.IsBinary
            ? $"encode(substring({columns[i]} from 1 for 48), 'escape') ~ ('^' || @stale)"
            : $"{columns[i]}::text ~ @stale"));
        string Select(bool first) =>
            $"SELECT {key}, {string.Join(", ", set.Columns.Select((c, i) => c.IsBinary ? columns[i] : columns[i] + "::text"))} FROM {table} " +
            $"WHERE {(first ? "" : $"{key} > @after AND ")}({where}) ORDER BY {key} LIMIT @limit FOR UPDATE";

        object? after = null;
        var rewritten = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<(object Key, object?[] Values)>();
            await using (var command = new NpgsqlCommand(Select(after is null), connection, transaction))
            {
                command.Parameters.AddWithValue("stale", stale);
                if (after is not null)
                {
                    command.Parameters.Add(new NpgsqlParameter("after", after));
                }
                command.Parameters.AddWithValue("limit", batchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var values = new object?[columns.Length];
                    for (var i = 0; i < columns.Length; i++)
                    {
                        values[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
                    }
                    rows.Add((reader.GetValue(0), values));
                }
            }
            if (rows.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                return rewritten;
            }
            foreach (var (rowKey, values) in rows)
            {
                var assignments = new List<string>();
                await using var update = new NpgsqlCommand { Connection = connection, Transaction = transaction };
                for (var i = 0; i < columns.Length; i++)
                {
                    var column = set.Columns[i];
                    object? updated = values[i] switch
                    {
                        byte[] bytes => protector.ReencryptBytes(bytes),
                        string json when column.IsJson => ReencryptJson(json),
                        string text => protector.Reencrypt(text),
                        _ => null,
                    };
                    if (ReferenceEquals(updated, values[i]) || updated is null)
                    {
                        continue;
                    }
                    assignments.Add($"{columns[i]} = @v{i}{(column.IsJson ? "::jsonb" : "")}");
                    update.Parameters.AddWithValue($"v{i}", updated);
                }
                if (assignments.Count > 0)
                {
                    update.CommandText = $"UPDATE {table} SET {string.Join(", ", assignments)} WHERE {key} = @key";
                    update.Parameters.Add(new NpgsqlParameter("key", rowKey));
                    await update.ExecuteNonQueryAsync(cancellationToken);
                    rewritten++;
                }
            }
            await transaction.CommitAsync(cancellationToken);
            after = rows[^1].Key;
        }
    }

    private string? ReencryptJson(string? json)
    {
        if (json is null)
        {
            return null;
        }
        if (PiiSealedJson.IsSealed(json))
        {
            // A whole document sealed as one string: re-seal it under the active key.
            var envelope = System.Text.Json.JsonSerializer.Deserialize<string>(json);
            return protector.NeedsReencryption(envelope) ? System.Text.Json.JsonSerializer.Serialize(protector.Reencrypt(envelope)) : json;
        }
        var node = JsonNode.Parse(json);
        var changed = false;
        PiiJson.MapStrings(node, text =>
        {
            if (!protector.NeedsReencryption(text))
            {
                return text;
            }
            changed = true;
            return protector.Reencrypt(text);
        });
        return changed ? node!.ToJsonString() : json;
    }

    private static string QuoteQualified(string name) => string.Join('.', name.Split('.').Select(Quote));

    private static string Quote(string identifier) => Identifier().IsMatch(identifier)
        ? "\"" + identifier + "\""
        : throw new ArgumentException($"'{identifier}' is not a plain SQL identifier.", nameof(identifier));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
