using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.CrmService;

/// <summary>CRM export settings: the <c>Crm</c> configuration section, or the flat names in <see cref="FlatVariables"/>.</summary>
public sealed class CrmOptions : IValidatableObject
{
    public const string Section = "Crm";

    /// <summary>The flat environment names existing deployments set, and the key each one sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } =
    [
        new("EXTERNAL_CRM_ENABLED", "Crm:ExternalEnabled", FlatValueKind.Boolean),
        new("CRM_SERVICE_URL", "Crm:ServiceUrl"),
        new("CRM_LANDING_ID", "Crm:LandingId"),
        new("CRM_BASIC_AUTH_USER", "Crm:BasicAuthUser"),
        new("CRM_BASIC_AUTH_PASS", "Crm:BasicAuthPass"),
        new("CRM_REFERER", "Crm:Referer"),
        new("CRM_TIMEOUT_MS", "Crm:Timeout", FlatValueKind.Milliseconds),
        new("CRM_MAX_RETRIES", "Crm:MaxRetries", FlatValueKind.Number),
        new("CRM_MD_ENABLED", "Crm:MarkdownEnabled", FlatValueKind.Boolean),
        new("CRM_MD_PATH", "Crm:MarkdownPath"),
    ];

    /// <summary>False keeps exports in the Markdown file only, even with a CRM URL.</summary>
    public bool ExternalEnabled { get; set; } = true;

    /// <summary>The full SaveWebFormObjectData URL; without it the Markdown file is the only sink.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The landing's GUID, sent as <c>formData.formId</c>.</summary>
    public string? LandingId { get; set; }

    public string? BasicAuthUser { get; set; }

    public string? BasicAuthPass { get; set; }

    /// <summary>Sent as the Referer header; Creatio checks it against the landing's website. Defaults to the CRM's origin.</summary>
    public string? Referer { get; set; }

    /// <summary>Timeout of one HTTP request to the CRM.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "CRM_TIMEOUT_MS (Crm:Timeout) must be between 100 ms and 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Quick retries inside one export attempt, for transient failures only.</summary>
    [Range(0, 10, ErrorMessage = "CRM_MAX_RETRIES (Crm:MaxRetries) must be between 0 and 10.")]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Delay before the first quick retry; the n-th waits n times as long, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Crm:QuickRetryDelay must be between 0 and 1 minute.")]
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Mirror every export into a Markdown file.</summary>
    public bool MarkdownEnabled { get; set; } = true;

    public string MarkdownPath { get; set; } = "memory-bank/crm.md";

    /// <summary>Lead columns (<c>formFieldsData</c>) and the lead source each one is filled from.</summary>
    public Dictionary<string, string> FormFields { get; set; } = CrmFieldMapping.DefaultFormFields();

    /// <summary>Contact lookup columns (<c>contactFieldsData</c>) and their lead source.</summary>
    public Dictionary<string, string> ContactFields { get; set; } = CrmFieldMapping.DefaultContactFields();

    [ValidateObjectMembers]
    public CircuitBreakerOptions Breaker { get; set; } = new();

    /// <summary>
    /// How long after it was queued an export may keep waiting for an open breaker without spending attempts
    /// (long enough for a weekend outage); after that the queue's attempts bound it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Crm:SnoozeLimit must be between 0 and 365 days.")]
    public TimeSpan SnoozeLimit { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long an export waits before asking the analysis service for its lead again after it did not answer
    /// (no attempt spent, up to <see cref="SnoozeLimit"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Crm:AnalysisUnavailableDelay must be between 0 and 1 hour.")]
    public TimeSpan AnalysisUnavailableDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool CreatioEnabled => ExternalEnabled && !string.IsNullOrWhiteSpace(ServiceUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CreatioEnabled && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("CRM_SERVICE_URL (Crm:ServiceUrl) must be an absolute http(s) URL of SaveWebFormObjectData.");
        }
        if (CreatioEnabled && !Guid.TryParse(LandingId, out _))
        {
            yield return new ValidationResult("CRM_LANDING_ID (Crm:LandingId) must be the landing's GUID when CRM_SERVICE_URL is set.");
        }
        if (MarkdownEnabled && string.IsNullOrWhiteSpace(MarkdownPath))
        {
            yield return new ValidationResult("CRM_MD_PATH (Crm:MarkdownPath) must name a file when CRM_MD_ENABLED is true.");
        }
    }
}
