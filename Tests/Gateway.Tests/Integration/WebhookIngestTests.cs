using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>Accepted webhooks: every fixture and signature vector, every event type, duplicates, big audio.</summary>
public sealed class WebhookIngestTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    public static TheoryData<SignatureVector> Vectors() => new(Fixtures.Vectors());

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task EverySignatureVectorIsAcceptedAndItsFixtureStored(SignatureVector vector)
    {
        var body = Fixtures.Bytes(vector.File);
        Assert.Equal(Fixtures.VectorSecret, vector.Secret);
        // A vector is valid only at its own timestamp, and the vectors are not in time order: each gets a gateway
        // whose clock stands at that timestamp (a fake clock only moves forward).
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("vector"),
            clock: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vector.Timestamp)));
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/elevenlabs") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("ElevenLabs-Signature", vector.Header);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await GatewayFixture.JsonAsync(response);
        Assert.Contains(answer.GetProperty("outcome").GetString(), new[] { "stored", "duplicate" });

        using var expected = JsonDocument.Parse(body);
        var type = expected.RootElement.GetProperty("type").GetString()!;
        var data = expected.RootElement.GetProperty("data");
        var conversation = data.GetProperty("conversation_id").GetString()!;
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            "SELECT id, event_timestamp, agent_id, payload::text, trace_parent FROM ingest.webhook_events WHERE event_type = $1 AND conversation_id = $2",
            connection) { Parameters = { new() { Value = type }, new() { Value = conversation } } };
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var eventId = reader.GetInt64(0);
        Assert.Equal(expected.RootElement.GetProperty("event_timestamp").GetInt64(), reader.GetInt64(1));
        Assert.Equal(data.GetProperty("agent_id").GetString(), reader.GetString(2));
        using var stored = JsonDocument.Parse(host.Protector.OpenJson(reader.GetString(3)));
        Assert.False(reader.IsDBNull(4)); // the webhook's trace, for the later stages to continue
        Assert.False(await reader.ReadAsync());
        await reader.DisposeAsync();

        // Every field the fixture has is kept (unknown ones included); only the audio moves to ingest.recordings.
        foreach (var field in data.EnumerateObject().Where(f => f.Name != "full_audio"))
        {
            Assert.True(stored.RootElement.GetProperty("data").TryGetProperty(field.Name, out _), field.Name);
        }
        if (type == "post_call_audio")
        {
            Assert.Equal(JsonValueKind.Null, stored.RootElement.GetProperty("data").GetProperty("full_audio").ValueKind);
            await using var audio = new NpgsqlCommand("SELECT audio, byte_length FROM ingest.recordings WHERE event_id = $1", connection)
            { Parameters = { new() { Value = eventId } } };
            await using var audioReader = await audio.ExecuteReaderAsync();
            Assert.True(await audioReader.ReadAsync());
            var expectedAudio = Convert.FromBase64String(data.GetProperty("full_audio").GetString()!);
            Assert.Equal(expectedAudio, host.Protector.UnprotectBytes((byte[])audioReader[0]));
            Assert.Equal(expectedAudio.Length, audioReader.GetInt32(1));
        }
        // Only a transcription is analysed (the ru transcription and the audio share a conversation id).
        Assert.Equal(type == "post_call_transcription" ? 1 : 0,
            await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND (payload->>'event_id')::bigint = $1", eventId));
    }

    [Fact]
    public async Task RepeatedWebhookIsAcknowledgedWithoutASecondRowOrJob()
    {
        var conversation = $"conv_dup_{Guid.NewGuid():N}";
        var body = Fixtures.Transcription(conversation);

        var first = await GatewayFixture.JsonAsync(await fixture.PostAsync(body));
        var second = await fixture.PostAsync(body);

        Assert.Equal("stored", first.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", (await GatewayFixture.JsonAsync(second)).GetProperty("outcome").GetString());
        Assert.Equal(1, await Host.EventCountAsync(conversation));
        Assert.Equal(1, await Host.JobCountAsync(conversation));
    }

    [Fact]
    public async Task TranscriptionJobCarriesTheEventIdAndTheWebhookTrace()
    {
        var conversation = $"conv_job_{Guid.NewGuid():N}";
        var request = fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow());
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.Equal(HttpStatusCode.OK, (await Host.Client.SendAsync(request)).StatusCode);

        var eventId = await Host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = $1", conversation);
        Assert.Equal(eventId, await Host.ScalarAsync("SELECT (payload->>'event_id')::bigint FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1", conversation));
        Assert.Equal(1, await Host.ScalarAsync("""
            SELECT count(*) FROM jobs.jobs j JOIN ingest.webhook_events e ON e.conversation_id = j.job_key
            WHERE j.queue = 'analysis' AND (j.job_key = $1 AND j.trace_parent = e.trace_parent AND j.trace_parent LIKE '00-0af7651916cd43dd8448eb211c80319c-%')
            """, conversation));
    }

    [Fact]
    public async Task EventTimestampSentAsAStringIsStoredAsANumber()
    {
        var conversation = $"conv_ts_{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"call_initiation_failure","event_timestamp":"1767608231","data":{"conversation_id":"{{{conversation}}}"}}""");

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostAsync(body)).StatusCode);

        Assert.Equal(1767608231, await Host.ScalarAsync("SELECT event_timestamp FROM ingest.webhook_events WHERE conversation_id = $1", conversation));
    }

    [Fact]
    public async Task UnknownEventTypeIsStoredAndAcknowledgedWithoutAJob()
    {
        var conversation = $"conv_new_{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_something_new","event_timestamp":1,"extra":[1,2],"data":{"conversation_id":"{{{conversation}}}","x":{"y":null} } }""");

        var response = await fixture.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using (var connection = new NpgsqlConnection(Host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var select = new NpgsqlCommand(
                "SELECT payload::text FROM ingest.webhook_events WHERE conversation_id = $1 AND event_type = 'post_call_something_new'", connection)
            { Parameters = { new() { Value = conversation } } };
            using var stored = JsonDocument.Parse(Host.Protector.OpenJson((string)(await select.ExecuteScalarAsync())!));
            Assert.Equal("[1,2]", stored.RootElement.GetProperty("extra").GetRawText());
        }
        Assert.Equal(0, await Host.JobCountAsync(conversation));
    }

    [Fact]
    public async Task SixMegabyteChunkedAudioWebhookIsStoredAsARecording()
    {
        var conversation = $"conv_audio_{Guid.NewGuid():N}";
        var audio = RandomNumberGenerator.GetBytes(4_600_000); // about 6.1 MB once base64-encoded
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_audio","event_timestamp":1767607339,"data":{"agent_id":"agent_a","conversation_id":"{{{conversation}}}","full_audio":"{{{Convert.ToBase64String(audio)}}}"}}""");
        Assert.True(body.Length > 6_000_000);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/elevenlabs")
        {
            // A stream of unknown length: HttpClient sends it chunked, with no Content-Length, as ElevenLabs does.
            Content = new StreamContent(new NonSeekableStream(body), 64 * 1024),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("ElevenLabs-Signature", fixture.Signer.Sign(body, fixture.Clock.GetUtcNow()));

        var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var connection = new NpgsqlConnection(Host.ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("""
            SELECT r.audio, e.payload::text
            FROM ingest.recordings r JOIN ingest.webhook_events e ON e.id = r.event_id WHERE r.conversation_id = $1
            """, connection) { Parameters = { new() { Value = conversation } } };
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(audio, Host.Protector.UnprotectBytes((byte[])reader[0]));
        var payload = Host.Protector.OpenJson(reader.GetString(1));
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(payload).RootElement.GetProperty("data").GetProperty("full_audio").ValueKind);
        Assert.True(payload.Length < 1000); // the base64 is not kept in the event JSON
    }

    /// <summary>Hides the length, so HttpClient has to send the body chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
