namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>The outage spool holds events not yet in Postgres; an erasure now could be undone by their replay.</summary>
public sealed class SpoolBusyException(string message) : Exception(message);
