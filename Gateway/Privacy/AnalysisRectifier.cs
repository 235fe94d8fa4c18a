using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Infrastructure.Telemetry;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Rectification: the corrected fields become the conversation's next analysis version (reason
/// <c>rectification</c>, the previous versions kept as history), and a CRM export job for it is queued in the
/// same transaction, with the audit record naming the corrected fields (not their values).
/// </summary>
public sealed class AnalysisRectifier(
    NpgsqlDataSource dataSource, PiiProtector protector, AuditTrail audit, [FromKeyedServices("crm")] JobQueue crmQueue, SchemaProbe schema)
{
    public const string Reason = "rectification";

    /// <summary>The new analysis id and version, or null when the conversation has no analysis to correct.</summary>
    public async Task<(long AnalysisId, int Version, long ExportJobId)?> RectifyAsync(
        string conversationId, Rectification rectification, AuditEntry auditEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rectification);
        ArgumentNullException.ThrowIfNull(auditEntry);
        var changes = Changes(rectification);
        if (!await schema.HasTableAsync("analysis.analyses", cancellationToken))
        {
            return null;
        }
        var withPhoneHash = await schema.HasColumnAsync("analysis.analyses", "phone_hash", cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The analysis service's lock for version numbers of one conversation.
        await using (var lockCommand = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtextextended('analysis.analyses:' || @conversation, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("conversation", conversationId);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        long eventId;
        string model, prompt;
        JsonObject result;
        string? phoneHash;
        await using (var latest = new NpgsqlCommand($"""
            SELECT event_id, model, prompt_version, result::text{(withPhoneHash ? ", phone_hash" : ", NULL::text")}
            FROM analysis.analyses WHERE conversation_id = @conversation ORDER BY version DESC LIMIT 1
            """, connection, transaction))
        {
            latest.Parameters.AddWithValue("conversation", conversationId);
            await using var reader = await latest.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            (eventId, model, prompt) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
            result = JsonNode.Parse(reader.GetString(3))!.AsObject();
            phoneHash = reader.IsDBNull(4) ? null : reader.GetString(4);
        }

        foreach (var (field, value) in changes)
        {
            // Names and phones are stored encrypted, as the analysis service stores them.
            result[field] = value is string text && field is "client_name" or "phone" ? protector.ProtectOrNull(text) : JsonValue.Create(value);
        }
        if (rectification.Phone is not null)
        {
            phoneHash = protector.PhoneLookupHash(rectification.Phone);
        }

        long analysisId;
        int version;
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO analysis.analyses (event_id, conversation_id, version, model, prompt_version, result, reason{(withPhoneHash ? ", phone_hash" : "")})
            SELECT @event, @conversation, coalesce(max(version), 0) + 1, @model, @prompt, @result, @reason{(withPhoneHash ? ", @phoneHash" : "")}
            FROM analysis.analyses WHERE conversation_id = @conversation
            RETURNING id, version
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("event", eventId);
            insert.Parameters.AddWithValue("conversation", conversationId);
            insert.Parameters.AddWithValue("model", model);
            insert.Parameters.AddWithValue("prompt", prompt);
            insert.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = result.ToJsonString() });
            insert.Parameters.AddWithValue("reason", Reason);
            if (withPhoneHash)
            {
                insert.Parameters.Add(new NpgsqlParameter("phoneHash", NpgsqlDbType.Text) { Value = (object?)phoneHash ?? DBNull.Value });
            }
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (analysisId, version) = (reader.GetInt64(0), reader.GetInt32(1));
        }

        var job = await crmQueue.EnqueueAsync(connection, transaction, "export", conversationId,
            new JsonObject { ["analysis_id"] = analysisId }.ToJsonString(), ConversationTelemetry.CurrentTraceParent(), cancellationToken: cancellationToken);
        await audit.AppendAsync(auditEntry with
        {
            Details = new Dictionary<string, string?>
            {
                ["fields"] = string.Join(",", changes.Select(c => c.Field)),
                ["analysis_id"] = analysisId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["export_job_id"] = job.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (analysisId, version, job.JobId);
    }

    /// <summary>The fields to change, by their stored (snake_case) names; throws <see cref="ArgumentException"/> on invalid values.</summary>
    public static IReadOnlyList<(string Field, object? Value)> Changes(Rectification r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Quality is < 1 or > 5)
        {
            throw new ArgumentException("quality must be between 1 and 5.");
        }
        var changes = new List<(string, object?)>();
        Add("topic", r.Topic);
        Add("intent", r.Intent);
        Add("quality", r.Quality);
        Add("outcome", r.Outcome);
        Add("summary_ru", r.SummaryRu);
        Add("recommendations", r.Recommendations);
        Add("client_name", r.ClientName);
        Add("phone", r.Phone);
        if (changes.Count == 0)
        {
            throw new ArgumentException("Name at least one field to correct.");
        }
        return changes;

        void Add(string field, object? value)
        {
            if (value is not null)
            {
                changes.Add((field, value));
            }
        }
    }
}
