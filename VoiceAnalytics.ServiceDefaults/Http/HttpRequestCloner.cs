namespace VoiceAnalytics.ServiceDefaults.Http;

/// <summary>An HttpRequestMessage can be sent once; a retry sends a copy (the body was buffered before).</summary>
internal static class HttpRequestCloner
{
    public static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage original, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
        };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in original.Options)
        {
            copy.Options.TryAdd(option.Key, option.Value);
        }
        if (original.Content is not null)
        {
            var body = await original.Content.ReadAsByteArrayAsync(cancellationToken);
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        return copy;
    }
}
