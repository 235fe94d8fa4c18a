using System.Text.Json;

namespace VoiceAnalytics.Gateway.Tests.Support;

internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
