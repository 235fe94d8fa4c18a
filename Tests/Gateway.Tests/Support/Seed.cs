using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NpgsqlTypes;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// A conversation as the whole pipeline leaves it: the signed webhook through the real gateway, then what the
/// analysis service (an encrypted verdict and the CRM job) and the CRM service (the export row) write, in their
/// tables and formats, and what they report over gRPC (the fakes).
/// </summary>
internal static class Seed
{
    public const string FixtureConversation = "conv_9001k1zph3fkeh5s8xg9z90swaqa";
    public const string FixturePhone = "+375291234567";
    public const string FixtureName = "Иван Петров";
    public const string FixtureEmail = "ivan.petrov@example.com";
    public const string FixtureTranscriptText = "хочу узнать стоимость подключения";

    /// <summary>
    /// The Russian fixture for <paramref name="conversationId"/>; another caller's phone and name also replace the
    /// fixture's email and a phrase of the transcript, so two callers share no personal data.
    /// </summary>
    public static byte[] Fixture(string conversationId, string phone = FixturePhone, string name = FixtureName)
    {
        var text = File.ReadAllText(Path.Combine(Fixtures.Directory, "post_call_transcription_ru.json"))
            .Replace(FixtureConversation, conversationId, StringComparison.Ordinal)
            .Replace(FixturePhone, phone, StringComparison.Ordinal);
        if (name != FixtureName)
        {
            text = text.Replace(FixtureName, name, StringComparison.Ordinal)
                .Replace("Иван", name.Split(' ')[0], StringComparison.Ordinal)
                .Replace(FixtureEmail, EmailOf(name), StringComparison.Ordinal)
                .Replace(FixtureTranscriptText, "хочу перенести договор на другой адрес", StringComparison.Ordinal)
                .Replace("плюс триста семьдесят пять, двадцать девять, один два три, сорок пять, шестьдесят семь", "плюс семь девятьсот шестнадцать", StringComparison.Ordinal);
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>What the owners report about the conversation through their read RPCs (the fakes of a host).</summary>
    public static void Report(AdminHost host, string conversationId, long eventId, string phone = FixturePhone, string name = FixtureName)
    {
        host.Pipeline.AddAnalysis(conversationId, eventId, new Protos.Analysis.V1.Verdict
        {
            Topic = "pricing", Intent = "quote", Quality = 4, Outcome = "lead", SummaryRu = "Клиент интересуется подключением офиса.",
            Recommendations = "Отправить КП.", ClientName = name, Phone = phone, Email = EmailOf(name),
        });
        host.Pipeline.AddExport(conversationId, "done");
    }

    public static string EmailOf(string name) => name == FixtureName ? FixtureEmail : "someone.else@example.org";

    public static async Task<long> ConversationAsync(AdminHost host, string conversationId, string phone = FixturePhone, string name = FixtureName)
    {
        await host.PostWebhookAsync(Fixture(conversationId, phone, name));
        var eventId = await host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = $1", conversationId);
        var protector = host.Services.GetRequiredService<PiiProtector>();
        var result = new JsonObject
        {
            ["topic"] = "pricing",
            ["intent"] = "quote",
            ["quality"] = 4,
            ["outcome"] = "lead",
            ["summary_ru"] = "Клиент интересуется подключением офиса.",
            ["recommendations"] = "Отправить КП.",
            ["client_name"] = protector.Protect(name),
            ["phone"] = protector.Protect(phone),
            ["email"] = protector.Protect(EmailOf(name)),
        };
        await using var connection = await host.DataSource.OpenConnectionAsync();
        var hasHash = await host.ScalarAsync(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'analysis' AND table_name = 'analyses' AND column_name = 'phone_hash'") == 1;
        await using (var insert = new Npgsql.NpgsqlCommand($"""
            INSERT INTO analysis.analyses (event_id, conversation_id, version, model, prompt_version, result{(hasHash ? ", phone_hash" : "")})
            VALUES (@event, @conversation, 1, 'offline-rules', 'v1', @result{(hasHash ? ", @hash" : "")})
            """, connection))
        {
            insert.Parameters.AddWithValue("event", eventId);
            insert.Parameters.AddWithValue("conversation", conversationId);
            insert.Parameters.Add(new Npgsql.NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = result.ToJsonString() });
            if (hasHash)
            {
                insert.Parameters.AddWithValue("hash", protector.PhoneLookupHash(phone)!);
            }
            await insert.ExecuteNonQueryAsync();
        }
        await host.ExecuteAsync("""
            INSERT INTO jobs.jobs (queue, kind, job_key, payload, state) SELECT 'crm', 'export', conversation_id, jsonb_build_object('analysis_id', id), 'done'
            FROM analysis.analyses WHERE conversation_id = $1
            """, conversationId);
        await host.ExecuteAsync("""
            INSERT INTO crm.exports (conversation_id, analysis_id, state, attempts, crm_record_id, sink)
            SELECT conversation_id, id, 'done', 1, gen_random_uuid(), 'markdown' FROM analysis.analyses WHERE conversation_id = $1
            """, conversationId);

        Report(host, conversationId, eventId, phone, name);
        return eventId;
    }
}
