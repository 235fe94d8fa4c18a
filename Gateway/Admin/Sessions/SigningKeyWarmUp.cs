namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>Builds the signing key ring at start, so a bad signing key stops the gateway instead of failing the first sign-in.</summary>
public sealed class SigningKeyWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SigningKeyRing>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
