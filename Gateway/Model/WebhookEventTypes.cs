namespace VoiceAnalytics.Gateway.Model;

/// <summary>The ElevenLabs post-call webhook types the gateway treats specially; any other type is stored as is.</summary>
public static class WebhookEventTypes
{
    /// <summary>The finished call's transcript and analysis: the one type that gets an analysis job.</summary>
    public const string Transcription = "post_call_transcription";

    public const string TranscriptionOtel = "post_call_transcription_otel";

    /// <summary>The call's full MP3, base64 in <c>data.full_audio</c>.</summary>
    public const string Audio = "post_call_audio";

    public const string CallInitiationFailure = "call_initiation_failure";
}
