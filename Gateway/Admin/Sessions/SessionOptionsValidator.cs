using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Configured signing keys must make a ring (each the base64 of a 32-byte Ed25519 private key, the active one among
/// them), so a bad key stops the gateway at start instead of failing the first sign-in. Without configured keys the
/// development key file is used and nothing is checked here.
/// </summary>
public sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SigningKeys.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }
        try
        {
            using var ring = SigningKeyRingFactory.Create(options, NullLogger.Instance);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
