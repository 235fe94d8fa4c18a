using Microsoft.Extensions.Options;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// Lays the seed's flat environment variables over the <c>Crm</c> section (the flat names win: they are what
/// an existing deployment sets), and rejects settings that cannot work with a message naming the variable.
/// </summary>
public sealed class CrmOptionsSetup(IConfiguration configuration) : IConfigureOptions<CrmOptions>, IValidateOptions<CrmOptions>
{
    public void Configure(CrmOptions options)
    {
        configuration.GetSection(CrmOptions.Section).Bind(options);
        options.ServiceUrl = Flat("CRM_SERVICE_URL") ?? options.ServiceUrl;
        options.LandingId = Flat("CRM_LANDING_ID") ?? options.LandingId;
        options.BasicAuthUser = Flat("CRM_BASIC_AUTH_USER") ?? options.BasicAuthUser;
        options.BasicAuthPass = Flat("CRM_BASIC_AUTH_PASS") ?? options.BasicAuthPass;
        options.Referer = Flat("CRM_REFERER") ?? options.Referer;
        options.MarkdownPath = Flat("CRM_MD_PATH") ?? options.MarkdownPath;
        options.TimeoutMs = Int("CRM_TIMEOUT_MS") ?? options.TimeoutMs;
        options.MaxRetries = Int("CRM_MAX_RETRIES") ?? options.MaxRetries;
        options.MarkdownEnabled = Bool("CRM_MD_ENABLED") ?? options.MarkdownEnabled;
    }

    public ValidateOptionsResult Validate(string? name, CrmOptions options)
    {
        var errors = new List<string>();
        if (options.CreatioEnabled)
        {
            if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add("CRM_SERVICE_URL must be an absolute http(s) URL of SaveWebFormObjectData.");
            }
            if (!Guid.TryParse(options.LandingId, out _))
            {
                errors.Add("CRM_LANDING_ID must be the landing's GUID when CRM_SERVICE_URL is set.");
            }
        }
        if (options.TimeoutMs is < 100 or > 600_000)
        {
            errors.Add("CRM_TIMEOUT_MS must be between 100 and 600000.");
        }
        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add("CRM_MAX_RETRIES must be between 0 and 10.");
        }
        if (options.MarkdownEnabled && string.IsNullOrWhiteSpace(options.MarkdownPath))
        {
            errors.Add("CRM_MD_PATH must name a file when CRM_MD_ENABLED is true.");
        }
        var breaker = options.Breaker;
        if (breaker.FailureThreshold < 1 || breaker.BreakDuration <= TimeSpan.Zero || breaker.HalfOpenProbes < 1 || breaker.SuccessesToClose < 1)
        {
            errors.Add("Crm:Breaker settings must all be at least 1.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private string? Flat(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    private int? Int(string key) => Flat(key) is { } text
        ? int.TryParse(text, out var value) ? value : throw new OptionsValidationException(key, typeof(CrmOptions), [$"{key} must be a whole number."])
        : null;

    private bool? Bool(string key) => Flat(key)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new OptionsValidationException(key, typeof(CrmOptions), [$"{key} must be true or false."]),
    };
}
