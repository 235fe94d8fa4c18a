using Npgsql;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Fills <c>ingest.webhook_events.phone_hash</c> with the keyed hash of the caller's number (ElevenLabs'
/// <c>metadata.phone_call.external_number</c>, else the <c>system__caller_id</c> dynamic variable); an empty string
/// marks an event without one. The gateway now computes it at ingest, before the payload is sealed, so this only
/// catches up events stored in clear before that (a sealed payload has no number SQL could read). It runs in the
/// background and, before every search by phone, in the searcher's request, so a search never misses such an event.
/// </summary>
public sealed class PhoneLookupIndexer(NpgsqlDataSource dataSource, PiiProtector protector)
{
    private const int BatchSize = 500;

    /// <summary>Indexes every event not indexed yet; returns how many were.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<(long Id, string? Phone)>();
            await using (var select = new NpgsqlCommand("""
                SELECT id, coalesce(payload #>> '{data,metadata,phone_call,external_number}',
                                    payload #>> '{data,conversation_initiation_client_data,dynamic_variables,system__caller_id}')
                FROM ingest.webhook_events WHERE phone_hash IS NULL
                ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
                """, connection, transaction))
            {
                select.Parameters.AddWithValue("limit", BatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }
            if (rows.Count == 0)
            {
                return total;
            }
            await using (var update = new NpgsqlCommand("""
                UPDATE ingest.webhook_events e SET phone_hash = u.hash
                FROM unnest(@ids, @hashes) AS u(id, hash) WHERE e.id = u.id
                """, connection, transaction))
            {
                update.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
                update.Parameters.AddWithValue("hashes", rows.Select(r => protector.PhoneLookupHash(r.Phone) ?? "").ToArray());
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            total += rows.Count;
        }
    }
}
