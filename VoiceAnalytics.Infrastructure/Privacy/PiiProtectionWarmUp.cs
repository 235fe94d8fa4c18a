using Microsoft.Extensions.Hosting;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>Builds the key ring and runs one round trip and one hash when the host starts.</summary>
internal sealed class PiiProtectionWarmUp(PiiProtector protector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (protector.Unprotect(protector.Protect("warm-up")) != "warm-up" || protector.PhoneLookupHash("+10000000000") is null)
        {
            throw new InvalidOperationException("The privacy key ring failed its start-up self-test.");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
