using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// Posts a SaveWebFormObjectData body to Creatio (optional Basic auth, the Referer the landing expects) through
/// <see cref="CreatioPipeline"/>: circuit breaker, quick retries of transient failures, a timeout per request.
/// Re-sending is safe because the lead Id is deterministic. Throws <see cref="BrokenCircuitException"/> when the
/// breaker refuses the call.
/// </summary>
public sealed class CreatioClient(HttpClient http, CreatioPipeline pipeline, IOptions<CrmOptions> options)
{
    public async Task<CreatioResult> SendAsync(CreatioRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        try
        {
            return await pipeline.Pipeline.ExecuteAsync(
                static (state, token) => state.Client.SendOnceAsync(state.Request, state.Settings, token),
                (Client: this, Request: request, Settings: settings), cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return CreatioResult.Failed(null, $"Timed out after {settings.Timeout.TotalMilliseconds:F0} ms", transient: true);
        }
    }

    private async ValueTask<CreatioResult> SendOnceAsync(CreatioRequest request, CrmOptions settings, CancellationToken cancellationToken)
    {
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
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return CreatioResponseParser.Parse(response.StatusCode, body);
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
}
