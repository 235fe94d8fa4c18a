using System.Diagnostics;
using System.Security.Claims;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>Who is calling, from where, in which trace: the "who/where" half of every audit record.</summary>
public sealed record AdminActor(string KeyId, string Name, string Role, string? SourceIp, string? TraceId)
{
    public string Actor => $"key:{KeyId} ({Name})";

    public static AdminActor From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        return new AdminActor(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous",
            user.FindFirstValue(ClaimTypes.Name) ?? "anonymous",
            user.FindFirstValue(ClaimTypes.Role) ?? "none",
            context.Connection.RemoteIpAddress?.ToString(),
            Activity.Current?.TraceId.ToHexString());
    }

    public AuditEntry Entry(string action, string? target = null, string? conversationId = null, IReadOnlyDictionary<string, string?>? details = null) =>
        new(Actor, Role, action, target, conversationId, SourceIp, TraceId, details);
}
