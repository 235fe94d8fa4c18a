using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoiceAnalytics.AppHost.Health;

/// <summary>
/// Healthy when GET <c>{endpoint}{path}</c> answers 200, as Aspire's <c>WithHttpHealthCheck</c>, but one check
/// keeps asking for up to <see cref="Window"/> instead of asking once. Aspire runs a resource's checks once, then
/// again after 1, 2, 3, 4, 5 s while they fail, and its own HTTP check waits up to 10 s on a service that is not
/// listening yet (DCP's proxy accepts the connection and holds it); a service that becomes ready during a wait
/// was seen healthy only at the next check, seconds later. Polling within the check sees it within
/// <see cref="Pause"/>. A service that stops answering 200 is reported Unhealthy after the window, as the single
/// 10 s request did.
/// </summary>
public sealed class ReadinessProbe(HttpClient client, Func<Uri> address) : IHealthCheck
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var uri = address();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(Window);
        var last = "no answer";
        Exception? failure = null;
        try
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, window.Token);
                    if (response.StatusCode == System.Net.HttpStatusCode.OK)
                    {
                        return HealthCheckResult.Healthy();
                    }
                    last = $"{uri} answered {(int)response.StatusCode}";
                    failure = null;
                }
                catch (HttpRequestException ex)
                {
                    last = $"{uri} did not answer: {ex.Message}";
                    failure = ex;
                }
                await Task.Delay(Pause, window.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The window is over: report what the last attempt saw.
            return HealthCheckResult.Unhealthy($"{last} (polled for {Window.TotalSeconds:0} s)", failure);
        }
    }
}
