using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// The local, fsync'd JSONL file that holds verified events while Postgres cannot take them (by default
/// <c>logs/events.jsonl</c>). While it holds anything, new events are appended here too, so the replay keeps
/// the order in which they were accepted. Replaying renames the file aside (<c>.replay</c>) so appends continue
/// into a fresh one; the renamed file is deleted only after every line in it is committed, so a crash in between
/// replays it again, which the (type, conversation_id) key makes harmless.
/// </summary>
public sealed class EventSpool
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _path;
    private readonly string _replayPath;
    private readonly string _directory;
    private TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _active;
    private readonly TimeProvider _time;

    public EventSpool(IOptions<IngestOptions> options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _path = Path.GetFullPath(options.Value.SpoolPath);
        _replayPath = _path + ".replay";
        _directory = Path.GetDirectoryName(_path)!;
        if (HasContent(_path) || File.Exists(_replayPath))
        {
            Activate(); // left over from a previous run: replay before anything goes to Postgres directly
        }
    }

    public string FilePath => _path;

    /// <summary>Where the replay sets aside the lines Postgres refuses for good.</summary>
    public string RejectedFilePath => RejectedPath(_replayPath);

    /// <summary>The file of refused lines beside <paramref name="replayFile"/>.</summary>
    public static string RejectedPath(string replayFile) => replayFile + ".rejected";

    /// <summary>Options for a file only this user may read or write (0600), created if missing.</summary>
    public static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.Read, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }

    /// <summary>True while events must go to the spool (it holds events not yet replayed).</summary>
    public bool IsActive => _active;

    /// <summary>Completes when the spool becomes active (at once if it is).</summary>
    public Task WhenActiveAsync(CancellationToken cancellationToken) =>
        _active ? Task.CompletedTask : Volatile.Read(ref _activated).Task.WaitAsync(cancellationToken);

    /// <summary>Appends the events, then flushes file (and, for a new file, directory) to disk.</summary>
    /// <exception cref="IOException">The spool cannot be written: the events are not durable.</exception>
    public async Task AppendAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Count * 8192);
        var now = _time.GetUtcNow();
        foreach (var e in events)
        {
            // When it was spooled, for the lineage report (an event set aside again at replay keeps its first time).
            SpoolCodec.Write(buffer, e.SpooledAt is null ? e with { SpooledAt = now } : e);
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(_directory);
            var created = !File.Exists(_path);
            await using (var file = new FileStream(_path, OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, bufferSize: 1)))
            {
                if (file.Length > 0)
                {
                    // A crash mid-append leaves a torn last line; start on a fresh line so it damages only itself.
                    file.Seek(-1, SeekOrigin.End);
                    if (file.ReadByte() != '\n')
                    {
                        file.WriteByte((byte)'\n');
                    }
                }
                file.Seek(0, SeekOrigin.End);
                await file.WriteAsync(buffer.WrittenMemory, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            if (created)
            {
                DirectorySync.Flush(_directory);
            }
            Activate();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The file to replay next: an unfinished <c>.replay</c> file, else the spool renamed to one. False when there
    /// is nothing to replay.
    /// </summary>
    public async Task<string?> BeginReplayAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(_replayPath))
            {
                return _replayPath;
            }
            if (!HasContent(_path))
            {
                return null;
            }
            File.Move(_path, _replayPath);
            DirectorySync.Flush(_directory);
            return _replayPath;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every line of <paramref name="replayFile"/> is committed: forget it.</summary>
    public void CompleteReplay(string replayFile)
    {
        File.Delete(replayFile);
        DirectorySync.Flush(_directory);
    }

    /// <summary>Leaves spool mode if nothing is left to replay; false when more arrived meanwhile.</summary>
    public async Task<bool> TryDeactivateAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (HasContent(_path) || File.Exists(_replayPath))
            {
                return false;
            }
            _active = false;
            Volatile.Write(ref _activated, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Marks the spool active: Postgres failed, so every new event queues behind the spooled ones.</summary>
    public void Activate()
    {
        _active = true;
        Volatile.Read(ref _activated).TrySetResult();
    }

    /// <summary>The lines of a spool file, one at a time, without loading the file (it may hold hours of events).</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLinesAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        var reader = PipeReader.Create(stream);
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                if (!line.IsEmpty)
                {
                    yield return line.ToArray();
                }
            }
            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    yield return buffer.ToArray(); // a torn last line: the caller finds it damaged
                }
                break;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
        await reader.CompleteAsync();
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool HasContent(string file) => File.Exists(file) && new FileInfo(file).Length > 0;
}
