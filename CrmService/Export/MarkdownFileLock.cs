using System.Collections.Concurrent;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// Serialises read-modify-write of one file: a semaphore per path inside this process, and an exclusive lock on
/// a sibling <c>.lock</c> file across processes (.NET takes <c>flock(LOCK_EX)</c> on Unix for
/// <see cref="FileShare.None"/>; on Windows it is a share-mode lock), so replicas sharing a volume and a second
/// process on the same machine never interleave their updates.
/// </summary>
public static class MarkdownFileLock
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(15);

    public static async Task<IAsyncDisposable> AcquireAsync(string fullPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var semaphore = InProcess.GetOrAdd(fullPath, _ => new SemaphoreSlim(1, 1));
        if (!await semaphore.WaitAsync(timeout, cancellationToken))
        {
            throw new TimeoutException($"Timed out waiting for the Markdown file lock ({fullPath}).");
        }
        try
        {
            var lockFile = await OpenExclusiveAsync(fullPath + ".lock", timeout, cancellationToken);
            return new Held(semaphore, lockFile);
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    private static async Task<FileStream> OpenExclusiveAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (IsHeldElsewhere(ex) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                throw new TimeoutException($"Timed out waiting for the Markdown file lock ({path}).", ex);
            }
        }
    }

    private static bool IsHeldElsewhere(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException);

    private sealed class Held(SemaphoreSlim semaphore, FileStream lockFile) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await lockFile.DisposeAsync();
            semaphore.Release();
        }
    }
}
