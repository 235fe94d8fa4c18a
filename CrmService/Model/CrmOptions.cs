using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// CRM export settings: the <c>Crm</c> configuration section, overlaid by the seed's flat environment
/// variables (CRM_SERVICE_URL, CRM_LANDING_ID, CRM_BASIC_AUTH_USER/PASS, CRM_TIMEOUT_MS, CRM_MAX_RETRIES,
/// CRM_MD_ENABLED, CRM_MD_PATH, CRM_REFERER) so that an existing .env keeps working.
/// </summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>The full SaveWebFormObjectData URL; without it the Markdown file is the only sink.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The landing's GUID, sent as <c>formData.formId</c>.</summary>
    public string? LandingId { get; set; }

    public string? BasicAuthUser { get; set; }

    public string? BasicAuthPass { get; set; }

    /// <summary>Sent as the Referer header; Creatio checks it against the landing's website. Defaults to the CRM's origin.</summary>
    public string? Referer { get; set; }

    /// <summary>Timeout of one HTTP request to the CRM.</summary>
    [Range(100, 600_000)]
    public int TimeoutMs { get; set; } = 8000;

    /// <summary>Quick retries inside one export attempt, for transient failures only.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay before a quick retry (grows linearly, with jitter).</summary>
    [Range(0, 60_000)]
    public int QuickRetryDelayMs { get; set; } = 250;

    /// <summary>Mirror every export into a Markdown file (the seed's memory-bank).</summary>
    public bool MarkdownEnabled { get; set; } = true;

    public string MarkdownPath { get; set; } = "memory-bank/crm.md";

    /// <summary>Lead columns (<c>formFieldsData</c>) and the lead source each one is filled from.</summary>
    public Dictionary<string, string> FormFields { get; set; } = CrmFieldMapping.DefaultFormFields();

    /// <summary>Contact lookup columns (<c>contactFieldsData</c>) and their lead source.</summary>
    public Dictionary<string, string> ContactFields { get; set; } = CrmFieldMapping.DefaultContactFields();

    public CircuitBreakerOptions Breaker { get; set; } = new();

    /// <summary>
    /// How long after it was queued an export may keep waiting for an open breaker without spending attempts
    /// (long enough for a weekend outage); after that the queue's attempts bound it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SnoozeLimit { get; set; } = TimeSpan.FromDays(3);

    public bool CreatioEnabled => !string.IsNullOrWhiteSpace(ServiceUrl);
}
