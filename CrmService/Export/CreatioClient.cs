using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// Posts a SaveWebFormObjectData body to Creatio: optional Basic auth, the Referer the landing expects, a
/// timeout per request (CRM_TIMEOUT_MS) and up to CRM_MAX_RETRIES quick retries for transient failures within
/// one export attempt. A definite answer from the CRM (a non-zero resultCode) is not retried here: the same
/// body would get the same answer; the job's backoff tries again later. Re-sending is safe because the lead
/// Id is deterministic.
/// </summary>
public sealed partial class CreatioClient(HttpClient http, IOptions<CrmOptions> options, TimeProvider time, ILogger<CreatioClient> logger)
{
    public async Task<CreatioResult> SendAsync(CreatioRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            var result = await SendOnceAsync(request, settings, cancellationToken);
            if (result.Success || !result.Transient || attempt >= settings.MaxRetries)
            {
                return result;
            }
            var delay = TimeSpan.FromMilliseconds(settings.QuickRetryDelayMs * (attempt + 1) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
            LogQuickRetry(attempt + 1, settings.MaxRetries, delay.TotalMilliseconds, result.Message);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async Task<CreatioResult> SendOnceAsync(CreatioRequest request, CrmOptions settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(settings.TimeoutMs));

        using var message = new HttpRequestMessage(HttpMethod.Post, settings.ServiceUrl)
        {
            Content = new ByteArrayContent(request.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.Referrer = RefererOf(settings);
        if (!string.IsNullOrEmpty(settings.BasicAuthUser))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.BasicAuthUser}:{settings.BasicAuthPass}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return CreatioResponseParser.Parse(response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CreatioResult.Failed(null, $"Timed out after {settings.TimeoutMs} ms", transient: true);
        }
        catch (HttpRequestException ex)
        {
            return CreatioResult.Failed(null, $"Transport error ({ex.HttpRequestError}): {ex.Message}", transient: true);
        }
    }

    /// <summary>The configured Referer, else the CRM's own origin (the landing's website is usually on it).</summary>
    public static Uri? RefererOf(CrmOptions settings)
    {
        if (Uri.TryCreate(settings.Referer, UriKind.Absolute, out var configured))
        {
            return configured;
        }
        return Uri.TryCreate(settings.ServiceUrl, UriKind.Absolute, out var service)
            ? new Uri(service.GetLeftPart(UriPartial.Authority) + "/")
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CRM call failed, quick retry {Retry} of {MaxRetries} in {DelayMs:F0} ms: {Reason}")]
    private partial void LogQuickRetry(int retry, int maxRetries, double delayMs, string reason);
}
