namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>Postgres failed and the spool could not be written either: the webhook is not durable (503).</summary>
public sealed class SpoolUnavailableException(Exception inner) : IOException("The outage spool cannot be written.", inner);
