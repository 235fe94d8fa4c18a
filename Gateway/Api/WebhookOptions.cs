using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// The webhook edge, bound from the seed's flat environment names (<c>WEBHOOK_SECRET</c>,
/// <c>WEBHOOK_TOLERANCE_SEC</c>) and a few new ones in the same style.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The current HMAC secret ElevenLabs signs with.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")]
    public string? Secret { get; set; }

    /// <summary>The secret being rotated out; accepted alongside the current one so rotation loses nothing.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET_PREVIOUS")]
    public string? PreviousSecret { get; set; }

    /// <summary>More accepted secrets, comma-separated (for rotations with more than one step in flight).</summary>
    [ConfigurationKeyName("WEBHOOK_SECRETS")]
    public string? ExtraSecrets { get; set; }

    /// <summary>How far the signed timestamp may be from now, either way.</summary>
    [ConfigurationKeyName("WEBHOOK_TOLERANCE_SEC")]
    [Range(1, 7 * 24 * 3600)]
    public int ToleranceSeconds { get; set; } = 1800;

    /// <summary>
    /// Largest body accepted. post_call_audio carries the whole call as base64 MP3 (about 1.3 MB per 10 minutes at
    /// 128 kbit/s, times 4/3), so the default leaves room for calls of a few hours.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_MAX_BODY_BYTES")]
    [Range(1024, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Source addresses allowed to post, comma-separated CIDRs (<c>203.0.113.10/32,2001:db8::/32</c>); empty
    /// allows any. ElevenLabs publishes its webhook egress addresses: see docs/gateway.md.
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_ALLOWED_CIDRS")]
    public string? AllowedCidrs { get; set; }

    /// <summary>Requests per minute per source address; 0 turns the limit off (benchmarks).</summary>
    [ConfigurationKeyName("WEBHOOK_RATE_LIMIT_PER_MINUTE")]
    [Range(0, int.MaxValue)]
    public int RateLimitPerMinute { get; set; } = 1000;

    /// <summary>Every accepted secret, current first, as UTF-8 keys.</summary>
    public IReadOnlyList<byte[]> SecretKeys() =>
        new[] { Secret, PreviousSecret }
            .Concat((ExtraSecrets ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => System.Text.Encoding.UTF8.GetBytes(s!.Trim()))
            .ToList();
}
