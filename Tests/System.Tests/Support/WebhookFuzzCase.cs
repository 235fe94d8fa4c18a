namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// One hostile webhook request: its family, how to send it (returns the status, 0 for a dropped connection), the
/// statuses that are a correct answer, and the conversation id it carries if it could be stored.
/// </summary>
public sealed record WebhookFuzzCase(string Family, string Detail, Func<Task<int>> SendAsync, IReadOnlySet<int> Allowed, string? ConversationId)
{
    public static readonly IReadOnlySet<int> BadRequest = new HashSet<int> { 400 };
    public static readonly IReadOnlySet<int> Unauthorized = new HashSet<int> { 401 };
    public static readonly IReadOnlySet<int> Ok = new HashSet<int> { 200 };
    public static readonly IReadOnlySet<int> OkOrBadRequest = new HashSet<int> { 200, 400 };
}
