using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>Registration of PII protection for any service.</summary>
public static class PrivacyExtensions
{
    /// <summary>
    /// Registers <see cref="PiiKeyRing"/> and <see cref="PiiProtector"/> from the <c>Privacy</c> configuration section
    /// (development keys with a warning when none are configured). Idempotent.
    /// </summary>
    public static IHostApplicationBuilder AddPiiProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Configured keys are checked at start: a bad key fails the start, not the first request.
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => PiiKeyRingFactory.Create(
            sp.GetRequiredService<IOptions<PrivacyOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("VoiceAnalytics.Privacy")));
        // Built and exercised at start: the first encryption in a hot path does not pay for loading and compiling
        // the crypto code (or for creating the development key file).
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PiiProtectionWarmUp>());
        builder.Services.TryAddSingleton<PiiProtector>();
        return builder;
    }

    /// <summary>
    /// Declares encrypted columns that the background job re-encrypts after a key rotation (needs
    /// <c>AddVoiceDatabase</c>). The worker is registered once, however many sets are declared.
    /// </summary>
    public static IHostApplicationBuilder AddPiiReencryption(this IHostApplicationBuilder builder, PiiColumnSet set)
    {
        builder.AddPiiProtection();
        builder.Services.AddSingleton(set);
        builder.Services.TryAddSingleton<PiiReencryptor>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PiiReencryptionWorker>());
        return builder;
    }
}
