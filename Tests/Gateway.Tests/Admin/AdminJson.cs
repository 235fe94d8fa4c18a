using System.Text.Json;

namespace VoiceAnalytics.Gateway.Tests.Admin;

internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
