namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A recording; <see cref="AudioBase64"/> only in a data-subject export (it may be megabytes).</summary>
public sealed record StoredRecording(long Id, string ContentType, int ByteLength, DateTimeOffset CreatedAt, string? AudioBase64);
