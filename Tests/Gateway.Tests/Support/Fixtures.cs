using System.Text.Json;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>The ElevenLabs fixtures: payloads exactly as bytes, and the signature vectors.</summary>
public static class Fixtures
{
    public const string VectorSecret = "wsec_test_0123456789abcdef";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "elevenlabs");

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Directory, file));

    public static IReadOnlyList<SignatureVector> Vectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "signature_vectors.json")));
        return document.RootElement.GetProperty("vectors").EnumerateArray()
            .Select(v => new SignatureVector(v.GetProperty("file").GetString()!, v.GetProperty("secret").GetString()!,
                v.GetProperty("timestamp").GetInt64(), v.GetProperty("header").GetString()!))
            .ToList();
    }

    /// <summary>A distinct post_call_transcription of about <paramref name="transcriptBytes"/> bytes of transcript.</summary>
    public static byte[] Transcription(string conversationId, int transcriptBytes = 2000, string type = "post_call_transcription") =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            type,
            event_timestamp = 1767607331,
            data = new
            {
                agent_id = "agent_test",
                conversation_id = conversationId,
                status = "done",
                transcript = new[] { new { role = "user", message = new string('x', transcriptBytes), time_in_call_secs = 1 } },
                some_future_field = new { nested = true },
            },
        });
}

public sealed record SignatureVector(string File, string Secret, long Timestamp, string Header)
{
    public override string ToString() => File;
}
