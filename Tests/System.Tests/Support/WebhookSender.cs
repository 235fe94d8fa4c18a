using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Posts signed webhooks as ElevenLabs does with retries opted in: the identical body again on 408, 429, 5xx or
/// no answer, with backoff (Retry-After honoured), re-signed at the time of each try. Records every try.
/// </summary>
public sealed class WebhookSender(HttpClient http, WebhookSigner signer, int maxAttempts = 10)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public static bool IsRetryable(int status) => status is 0 or 408 or 429 or >= 500;

    public async Task<Delivery> SendAsync(string conversationId, byte[] body, CancellationToken cancellationToken = default)
    {
        var trail = new List<string>();
        var firstAt = _clock.Elapsed;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var (status, retryAfter) = await TryOnceAsync(body, trail, cancellationToken);
            if (!IsRetryable(status) || attempt == maxAttempts)
            {
                return new Delivery(conversationId, status, attempt, trail, firstAt, _clock.Elapsed);
            }
            await Task.Delay(retryAfter ?? backoff, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task<(int Status, TimeSpan? RetryAfter)> TryOnceAsync(byte[] body, List<string> trail, CancellationToken cancellationToken)
    {
        using var request = signer.CreateRequest(body);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            trail.Add(status.ToString(CultureInfo.InvariantCulture));
            return (status, RetryAfterOf(response.Headers.RetryAfter));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            trail.Add(ex.GetType().Name);
            return (0, null);
        }
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header) =>
        header?.Delta is { } delta ? TimeSpan.FromTicks(Math.Min(delta.Ticks, MaxBackoff.Ticks)) : null;
}
