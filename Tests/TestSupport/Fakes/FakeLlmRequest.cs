using System.Text.Json;

namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>A chat-completion request the fake server received: when, with what body, and how many were in flight.</summary>
public sealed record FakeLlmRequest(int Number, DateTime ArrivedUtc, JsonElement Body, string? Authorization, int InFlightOnArrival)
{
    public DateTime RespondedUtc { get; set; }
}
