using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService;

namespace VoiceAnalytics.Crm.Tests.Support;

public static class CrmTestOptions
{
    public const string LandingId = "d66ebbf6-f588-4130-9f0b-0ba3414dafb8";

    public static IOptions<CrmOptions> Create(Action<CrmOptions>? configure = null)
    {
        var options = new CrmOptions { LandingId = LandingId, QuickRetryDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return Options.Create(options);
    }
}
