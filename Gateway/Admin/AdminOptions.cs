namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// The admin API's settings. The bootstrap key (configuration <c>Admin:BootstrapKey</c> or env
/// <c>ADMIN_BOOTSTRAP_KEY</c>) is an admin key that exists before any key is created; use it to create real
/// keys, then remove it from configuration.
/// </summary>
public sealed class AdminOptions
{
    public string? BootstrapKey { get; set; }

    /// <summary>How long a rotated key keeps working beside its replacement unless the request says otherwise (seed 002: 7 days).</summary>
    public TimeSpan DefaultRotationGrace { get; set; } = TimeSpan.FromDays(7);

    public static void Bind(AdminOptions options, IConfiguration configuration)
    {
        configuration.GetSection("Admin").Bind(options);
        options.BootstrapKey ??= configuration["ADMIN_BOOTSTRAP_KEY"];
        if (string.IsNullOrWhiteSpace(options.BootstrapKey))
        {
            options.BootstrapKey = null;
        }
    }
}
