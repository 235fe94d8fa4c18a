namespace VoiceAnalytics.Gateway.Model;

/// <summary>What happened to an accepted webhook. Every outcome is durable, so each one is answered 200.</summary>
public enum IngestOutcome
{
    /// <summary>Committed to Postgres (with its analysis job, for a transcription).</summary>
    Stored,

    /// <summary>The same (type, conversation_id) was already stored: nothing new was created.</summary>
    Duplicate,

    /// <summary>Postgres was unavailable: appended to the fsync'd spool, to be replayed when it is back.</summary>
    Spooled,
}
