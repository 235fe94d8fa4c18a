namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// One AppHost per data folder: an exclusive lock on <c>apphost.lock</c>, released by the kernel when the process
/// ends however it ends, so a killed run never leaves a stale lock behind.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _stream;

    private DataFolderLock(FileStream stream) => _stream = stream;

    public static DataFolderLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "apphost.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }
            return new DataFolderLock(stream);
        }
        catch (IOException)
        {
            throw new AppHostSetupException(
                $"Another AppHost is already running with the data folder {dataDirectory}. Stop it first, or give this one its own folder (AppHost__DataDirectory).");
        }
    }

    public void Dispose() => _stream.Dispose();
}
