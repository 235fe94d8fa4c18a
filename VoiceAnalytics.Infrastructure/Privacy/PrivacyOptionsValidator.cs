using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Configured privacy keys must make a key ring (base64 AES-256 keys, the active one among them, a hash key of 32
/// bytes or more), so a bad key stops the service at start, not at the first encryption. Without configured keys
/// the development key file is used and nothing is checked here.
/// </summary>
internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keys.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }
        try
        {
            _ = PiiKeyRingFactory.Create(options, NullLogger.Instance);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
