using Npgsql;

namespace VoiceAnalytics.Infrastructure.Jobs;

public sealed partial class JobQueue
{
    /// <summary>
    /// Deletes every job of the keys in this queue (whatever their kind or state) inside the caller's transaction, for an erasure
    /// or retention by the queue's consumer: a job of an erased conversation must not run again. A job running now
    /// loses its row, so its completion fails as a lost lease and stores nothing. Returns how many were deleted.
    /// </summary>
    public async Task<long> DeleteByKeysAsync(
        IReadOnlyCollection<string> keys, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE queue = @queue AND job_key = ANY(@keys)", connection, transaction);
        command.Parameters.AddWithValue("queue", Name);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
