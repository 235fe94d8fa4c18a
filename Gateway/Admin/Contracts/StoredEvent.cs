using System.Text.Json.Nodes;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

public sealed record StoredEvent(long Id, string EventType, long? EventTimestamp, DateTimeOffset ReceivedAt, string? TraceParent, JsonNode? Payload);
