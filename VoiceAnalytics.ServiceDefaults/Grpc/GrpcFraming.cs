using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// gRPC's length-prefixed messages: a 1-byte compressed flag, a 4-byte big-endian length, then the protobuf
/// bytes. Violations become the status codes the protocol asks for.
/// </summary>
public static class GrpcFraming
{
    public const int HeaderSize = 5;

    /// <summary>Frames <paramref name="message"/> uncompressed.</summary>
    public static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var buffer = new byte[HeaderSize + size];
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(1), (uint)size);
        message.WriteTo(buffer.AsSpan(HeaderSize));
        return buffer;
    }

    /// <summary>
    /// Reads the next message from <paramref name="stream"/>, decompressing it when its flag says so;
    /// null at a clean end of stream.
    /// </summary>
    public static async ValueTask<byte[]?> ReadMessageAsync(Stream stream, int maxMessageSize, string? encoding, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }
        if (read < HeaderSize)
        {
            throw new RpcException(StatusCode.Internal, "Incomplete gRPC message header.");
        }

        var compressed = header[0];
        if (compressed > 1)
        {
            throw new RpcException(StatusCode.Internal, $"Invalid gRPC compressed flag {compressed}.");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize}).");
        }

        var payload = new byte[length];
        if (await stream.ReadAtLeastAsync(payload, (int)length, throwOnEndOfStream: false, cancellationToken) < length)
        {
            throw new RpcException(StatusCode.Internal, "Incomplete gRPC message: the stream ended inside a message.");
        }
        return compressed == 0 ? payload : Decompress(payload, encoding, maxMessageSize);
    }

    private static byte[] Decompress(byte[] payload, string? encoding, int maxMessageSize)
    {
        if (string.IsNullOrEmpty(encoding) || encoding == "identity")
        {
            throw new RpcException(StatusCode.Internal, "Message is flagged compressed but no grpc-encoding was sent.");
        }
        if (encoding != "gzip")
        {
            throw new RpcException(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding '{encoding}'; supported: {GrpcProtocol.SupportedEncodings}.");
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                if (output.Length + n > maxMessageSize)
                {
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Decompressed message larger than max ({maxMessageSize}).");
                }
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, "Compressed message is not valid gzip.");
        }
    }
}
