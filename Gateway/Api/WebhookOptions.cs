using System.ComponentModel.DataAnnotations;
using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>The webhook edge: section <c>Webhook</c>, or the flat names in <see cref="FlatVariables"/>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>The flat environment names existing deployments set, and the key each one sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } =
    [
        new("WEBHOOK_SECRET", "Webhook:Secret"),
        new("WEBHOOK_SECRET_PREVIOUS", "Webhook:PreviousSecret"),
        new("WEBHOOK_SECRETS", "Webhook:ExtraSecrets"),
        new("WEBHOOK_TOLERANCE_SEC", "Webhook:Tolerance", FlatValueKind.Seconds),
        new("WEBHOOK_MAX_BODY_BYTES", "Webhook:MaxBodyBytes", FlatValueKind.Number),
        new("WEBHOOK_ALLOWED_CIDRS", "Webhook:AllowedCidrs"),
        new("WEBHOOK_RATE_LIMIT_PER_MINUTE", "Webhook:RateLimitPerMinute", FlatValueKind.Number),
    ];

    /// <summary>The current HMAC secret ElevenLabs signs with.</summary>
    public string? Secret { get; set; }

    /// <summary>The secret being rotated out; accepted alongside the current one so rotation loses nothing.</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>More accepted secrets, comma-separated (for rotations with more than one step in flight).</summary>
    public string? ExtraSecrets { get; set; }

    /// <summary>How far the signed timestamp may be from now, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "WEBHOOK_TOLERANCE_SEC (Webhook:Tolerance) must be between 1 second and 7 days.")]
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Largest body accepted. post_call_audio carries the whole call as base64 MP3 (about 1.3 MB per 10 minutes at
    /// 128 kbit/s, times 4/3), so the default leaves room for calls of a few hours.
    /// </summary>
    [Range(1024, int.MaxValue, ErrorMessage = "WEBHOOK_MAX_BODY_BYTES (Webhook:MaxBodyBytes) must be at least 1024.")]
    public int MaxBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Source addresses allowed to post, comma-separated CIDRs (<c>203.0.113.10/32,2001:db8::/32</c>); empty
    /// allows any. ElevenLabs publishes its webhook egress addresses: see docs/gateway.md.
    /// </summary>
    public string? AllowedCidrs { get; set; }

    /// <summary>Requests per minute per source address; 0 turns the limit off (benchmarks).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "WEBHOOK_RATE_LIMIT_PER_MINUTE (Webhook:RateLimitPerMinute) must be 0 or more.")]
    public int RateLimitPerMinute { get; set; } = 1000;

    /// <summary>Every accepted secret, current first, as UTF-8 keys.</summary>
    public IReadOnlyList<byte[]> SecretKeys() =>
        new[] { Secret, PreviousSecret }
            .Concat((ExtraSecrets ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => System.Text.Encoding.UTF8.GetBytes(s!.Trim()))
            .ToList();
}
