using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// A configured <c>Audit:ChainKey</c> must be base64 of at least 32 bytes: a bad key stops the gateway at start
/// instead of failing the first audited request.
/// </summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChainKey is not { Length: > 0 } configured)
        {
            return ValidateOptionsResult.Success;
        }
        try
        {
            return AuditChainKey.Decode(configured).Length >= 32
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{AuditChainKey.ConfigurationKey} must be at least 32 bytes.");
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
