namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// A request body that sends its first bytes at once and then nothing until the test lets it finish: a sender
/// that declared a large body and trickles it.
/// </summary>
internal sealed class TricklingStream(int firstBytes, Task finish, CountdownEvent waiting) : Stream
{
    private bool _sent;
    private bool _signalled;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_sent)
        {
            _sent = true;
            var count = Math.Min(firstBytes, buffer.Length);
            buffer.Span[..count].Fill((byte)'x');
            return count;
        }
        if (!_signalled)
        {
            _signalled = true;
            waiting.Signal();
        }
        await finish.WaitAsync(cancellationToken);
        return 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
