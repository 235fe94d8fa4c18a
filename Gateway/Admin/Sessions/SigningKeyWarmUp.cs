namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Builds the signing key ring at start: without a configured key the development key file is created (or read)
/// now and its warning is logged at every start, not at the first sign-in. Configured keys are checked before,
/// by <see cref="SessionOptionsValidator"/>.
/// </summary>
public sealed class SigningKeyWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SigningKeyRing>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
