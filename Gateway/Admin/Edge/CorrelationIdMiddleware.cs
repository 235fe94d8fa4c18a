using System.Diagnostics;

namespace VoiceAnalytics.Gateway.Admin.Edge;

/// <summary>
/// <c>X-Correlation-ID</c> at the edge: a caller's id is kept when it is short and made of safe characters (so it
/// cannot forge log lines or smuggle markup), otherwise a new one is made; either way it is returned in the
/// response, put in the log scope of everything the request logs, and tagged on its span.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string Header = "X-Correlation-ID";
    public const string SpanTag = "correlation.id";
    public const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var presented = context.Request.Headers[Header];
        var id = presented.Count == 1 && IsValid(presented[0]) ? presented[0]! : Guid.NewGuid().ToString("N");
        context.Items[Header] = id;
        context.Response.Headers[Header] = id;
        Activity.Current?.SetTag(SpanTag, id);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
