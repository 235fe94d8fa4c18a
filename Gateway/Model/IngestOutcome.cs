namespace VoiceAnalytics.Gateway.Model;

/// <summary>
/// What happened to an accepted webhook. Every outcome but <see cref="Refused"/> is durable and answered 200;
/// a refused event is answered 400, so that a 200 always means stored.
/// </summary>
public enum IngestOutcome
{
    /// <summary>Committed to Postgres (with its analysis job, for a transcription).</summary>
    Stored,

    /// <summary>The same (type, conversation_id) was already stored: nothing new was created.</summary>
    Duplicate,

    /// <summary>Postgres was unavailable: appended to the fsync'd spool, to be replayed when it is back.</summary>
    Spooled,

    /// <summary>The conversation was erased on a data subject's request: acknowledged, dropped and audited.</summary>
    Erased,

    /// <summary>Postgres refused the event itself (its data, not an outage): nothing was stored and nothing spooled.</summary>
    Refused,
}
