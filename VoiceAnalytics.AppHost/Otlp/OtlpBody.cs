using System.IO.Compression;
using System.Net.Http.Headers;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>
/// Reads an OTLP/HTTP protobuf body: checks the content type, undoes gzip, and stops at a size limit so a
/// compressed bomb cannot exhaust memory.
/// </summary>
public static class OtlpBody
{
    public const string ProtobufContentType = "application/x-protobuf";

    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new OtlpRequestException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be {ProtobufContentType} (OTLP/HTTP protobuf); OTLP/JSON is not supported.");
        }
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        await using var source = encoding.ToLowerInvariant() switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new OtlpRequestException(StatusCodes.Status415UnsupportedMediaType,
                "Content-Encoding must be gzip or absent."),
        };
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        try
        {
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new OtlpRequestException(StatusCodes.Status413PayloadTooLarge,
                        $"The decoded body exceeds {maxBytes} bytes.");
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new OtlpRequestException(StatusCodes.Status400BadRequest, "The body is not valid gzip.");
        }
        return buffer.ToArray();
    }
}
