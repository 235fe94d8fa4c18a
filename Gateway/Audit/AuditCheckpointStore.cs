using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// Signed checkpoints, kept in <c>audit.checkpoints</c> (shared by every gateway), in a file outside the database
/// and in the log. The latest one whose signature holds is where the next verification starts.
/// </summary>
public sealed partial class AuditCheckpointStore(
    NpgsqlDataSource dataSource, AuditChainKey key, IOptions<AuditOptions> options, ILogger<AuditCheckpointStore> logger)
{
    private readonly string _directory = Path.GetFullPath(options.Value.CheckpointDirectory);

    /// <summary>The checkpoint furthest along the chain, from the database or the chain's file; null when there is none yet.</summary>
    /// <exception cref="AuditCheckpointForgedException">The latest checkpoint's signature does not hold, or it names another chain.</exception>
    public async Task<AuditCheckpoint?> LatestAsync(Guid chainId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        AuditCheckpoint? stored = null;
        await using (var command = new NpgsqlCommand("""
            SELECT chain_id, created_at, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac
            FROM audit.checkpoints ORDER BY last_id DESC, id DESC LIMIT 1
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                stored = new AuditCheckpoint(
                    reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7));
            }
        }
        var file = await ReadFileAsync(chainId, cancellationToken);
        foreach (var checkpoint in new[] { stored, file })
        {
            if (checkpoint is not null && (checkpoint.ChainId != chainId
                || !string.Equals(AuditHasher.Mac(checkpoint, key), checkpoint.Mac, StringComparison.Ordinal)))
            {
                throw new AuditCheckpointForgedException(checkpoint.LastId);
            }
        }
        return file is not null && (stored is null || file.LastId > stored.LastId) ? file : stored;
    }

    /// <summary>Signs and records a checkpoint in the database, the file and the log.</summary>
    public async Task<AuditCheckpoint> SaveAsync(
        Guid chainId, DateTimeOffset createdAt, AuditRecord? last, long anchorId, string anchorHash, long legacyLastId, CancellationToken cancellationToken)
    {
        var unsigned = new AuditCheckpoint(
            chainId, AuditHasher.Truncate(createdAt), last?.Id ?? anchorId, last?.Hash ?? anchorHash, last?.OccurredAt, anchorId, legacyLastId, "");
        var checkpoint = unsigned with { Mac = AuditHasher.Mac(unsigned, key) };
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO audit.checkpoints (chain_id, created_at, last_id, last_hash, last_at, anchor_id, legacy_last_id, mac)
            VALUES (@chain, @created, @id, @hash, @at, @anchor, @legacy, @mac)
            """))
        {
            insert.Parameters.AddWithValue("chain", checkpoint.ChainId);
            insert.Parameters.AddWithValue("created", checkpoint.CreatedAt);
            insert.Parameters.AddWithValue("id", checkpoint.LastId);
            insert.Parameters.AddWithValue("hash", checkpoint.LastHash);
            insert.Parameters.AddWithValue("at", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)checkpoint.LastAt ?? DBNull.Value);
            insert.Parameters.AddWithValue("anchor", checkpoint.AnchorId);
            insert.Parameters.AddWithValue("legacy", checkpoint.LegacyLastId);
            insert.Parameters.AddWithValue("mac", checkpoint.Mac);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await WriteFileAsync(checkpoint, cancellationToken);
        LogCheckpoint(checkpoint.LastId, checkpoint.LastHash, checkpoint.Mac);
        return checkpoint;
    }

    private string PathOf(Guid chainId) => Path.Combine(_directory, $"{chainId:N}.json");

    private async Task<AuditCheckpoint?> ReadFileAsync(Guid chainId, CancellationToken cancellationToken)
    {
        var path = PathOf(chainId);
        if (!File.Exists(path))
        {
            return null;
        }
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<AuditCheckpoint>(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            // Written whole and renamed into place, so it is never torn: unreadable means edited.
            throw new AuditCheckpointForgedException(0);
        }
    }

    private async Task WriteFileAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        // Written aside and renamed over the old one, so a crash never leaves a torn checkpoint.
        Directory.CreateDirectory(_directory);
        var path = PathOf(checkpoint.ChainId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temporary, create))
        {
            await JsonSerializer.SerializeAsync(stream, checkpoint, cancellationToken: cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint: chain verified up to record {LastId} (hash {LastHash}, signature {Mac})")]
    private partial void LogCheckpoint(long lastId, string lastHash, string mac);
}
