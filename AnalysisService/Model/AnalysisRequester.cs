namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>Why and for whom an analysis version is made, as recorded on the version.</summary>
public static class AnalysisRequester
{
    /// <summary>The requester of the versions the webhook pipeline makes on its own.</summary>
    public const string Pipeline = "system:pipeline";

    /// <summary>The reason of the versions the webhook pipeline makes on its own.</summary>
    public const string WebhookReason = "webhook";
}
